using System.Buffers;
using System.Text;
using Gateway.Compliance.Audit;

namespace Gateway.Compliance.Tests.TestSupport;

/// <summary>
/// Writes a chained audit log straight through <see cref="AuditRecordEncoder"/> (no fsync per group), split
/// into files the way the gateway names them, for tests that corrupt it in many places.
/// </summary>
internal static class SyntheticAuditLog
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="recordsPerFile"/> records into consecutive files; returns the files in chain order.</summary>
    public static IReadOnlyList<string> Write(string directory, string instance, params int[] recordsPerFile)
    {
        Directory.CreateDirectory(directory);
        var head = AuditChainState.Genesis;
        var files = new List<string>();
        var n = 0;
        foreach (var count in recordsPerFile)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var path = Path.Combine(directory, AuditFileNames.For(instance, head.Count + 1));
            for (var i = 0; i < count; i++, n++)
            {
                head = AuditRecordEncoder.Append(buffer, Body(n), head, Start.AddSeconds(n), instance);
            }

            File.WriteAllBytes(path, buffer.WrittenSpan.ToArray());
            files.Add(path);
        }

        return files;
    }

    /// <summary>The head (count and hash) of the chain in <paramref name="directory"/>, read from its last line.</summary>
    public static AuditChainState Head(IReadOnlyList<string> files)
    {
        var last = File.ReadAllLines(files[^1])[^1];
        Assert.True(AuditLine.TryParseChain(Encoding.UTF8.GetBytes(last), out var seq, out _, out var hash));
        return new AuditChainState(seq, hash);
    }

    private static byte[] Body(int n) => (n % 3) switch
    {
        0 => Encoding.UTF8.GetBytes($$$"""{"kind":"event","practice":"p-{{{n % 4}}}","vertical":"dental","policy":{"version":"2026.11.0","sha256":"{{{new string('a', 64)}}}"},"index":0,"messageId":"k1:Msg{{{n}}}abcdefghij","subject":"k1:Subj{{{n % 7}}}ABCDEFGH","eventType":"track:Appointment Requested","outcome":"forward","reason":null,"destinations":[{"name":"scoring","outcome":"forward","consent":[12],"baa":3}],"classes":["non-phi","derived"],"fields":{"drop":["properties.email","properties.phone"],"keep":["properties.service_line"]}}"""),
        1 => Encoding.UTF8.GetBytes($$"""{"kind":"delivery","practice":"p-{{n % 4}}","destination":"scoring","cluster":"scoring","attempt":"direct","delivered":true,"status":200,"error":null,"events":1,"messageIds":["k1:Msg{{n - 1}}abcdefghij"]}"""),
        _ => Encoding.UTF8.GetBytes($$"""{"kind":"system","action":"audit-opened","tornBytesRemoved":{{n}}}"""),
    };
}
