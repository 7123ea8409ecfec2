using System.Globalization;
using System.Text;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Streams the records of one or more audit folders: instance by instance (ordinal), each instance's files in
/// chain order, each file line by line. It does not verify the chain (<see cref="AuditChainVerifier"/> does):
/// run verification first when the answer must hold up. Lines that are not audit records (a torn last line)
/// are counted in <see cref="SkippedLines"/>, never silently merged.
/// </summary>
public sealed class AuditReader
{
    private const int BufferBytes = 1 << 20;

    private readonly IReadOnlyDictionary<string, List<string>> _files;

    public AuditReader(IEnumerable<string> directories)
    {
        var files = new SortedDictionary<string, List<(string Path, long FirstSeq)>>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"The audit folder '{directory}' does not exist.");
            }

            foreach (var (instance, list) in AuditFileNames.Find(directory))
            {
                if (!files.TryGetValue(instance, out var all))
                {
                    files[instance] = all = [];
                }

                all.AddRange(list);
            }
        }

        _files = files.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(f => f.FirstSeq).Select(f => f.Path).ToList(), StringComparer.Ordinal);
    }

    /// <summary>The instances whose files were found, in reading order.</summary>
    public IReadOnlyList<string> Instances => [.. _files.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Lines that could not be read as audit records in the last <see cref="Read"/>.</summary>
    public long SkippedLines { get; private set; }

    /// <summary>
    /// Every record that passes <paramref name="query"/> (all records when null). The time range and kinds are
    /// checked on each line's fixed prefix before anything is parsed, so narrow queries over long logs stay fast.
    /// </summary>
    public IEnumerable<AuditRecord> Read(AuditQuery? query = null)
    {
        SkippedLines = 0;
        foreach (var instance in Instances)
        {
            foreach (var path in _files[instance])
            {
                foreach (var record in ReadFile(instance, path, query))
                {
                    yield return record;
                }
            }
        }
    }

    private IEnumerable<AuditRecord> ReadFile(string instance, string path, AuditQuery? query)
    {
        var fileName = Path.GetFileName(path);
        using var stream = AuditSegmentCompression.OpenRead(path, bufferSize: 1);
        var buffer = new byte[BufferBytes];
        var filled = 0;
        long lineNumber = 0;
        while (true)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
            {
                lineNumber++;
                var line = buffer.AsMemory(start, newline - start);
                start = newline + 1;
                if (!TryReadHeader(line.Span, out var seq, out var time, out var kind))
                {
                    SkippedLines++;
                    continue;
                }

                if (query is not null && !query.MatchesHeader(instance, time, kind))
                {
                    continue;
                }

                var record = new AuditRecord(instance, fileName, lineNumber, seq, time, kind, line.ToArray());
                if (query is null || query.Matches(record))
                {
                    yield return record;
                }
            }

            if (read == 0)
            {
                if (start < filled)
                {
                    SkippedLines++;
                }

                yield break;
            }

            if (start == 0 && filled == buffer.Length)
            {
                // A line longer than the buffer is not an audit record (events are at most 32 KB).
                SkippedLines++;
                filled = 0;
                continue;
            }

            Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
        }
    }

    /// <summary>
    /// Reads the fixed prefix every record starts with:
    /// <c>{"seq":N,"ts":"yyyy-MM-ddTHH:mm:ss.fffZ","instance":"...","kind":"..."</c>.
    /// </summary>
    internal static bool TryReadHeader(ReadOnlySpan<byte> line, out long seq, out DateTimeOffset time, out string kind)
    {
        time = default;
        kind = string.Empty;
        if (!AuditLine.TryGetParts(line, out seq, out _, out _, out _))
        {
            return false;
        }

        var tsAt = line.IndexOf(",\"ts\":\""u8);
        if (tsAt < 0 || line.Length < tsAt + 7 + 24)
        {
            return false;
        }

        Span<char> chars = stackalloc char[24];
        Encoding.ASCII.GetChars(line.Slice(tsAt + 7, 24), chars);
        if (!DateTimeOffset.TryParseExact(chars, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return false;
        }

        var kindAt = line.IndexOf(",\"kind\":\""u8);
        if (kindAt < 0)
        {
            return false;
        }

        var rest = line[(kindAt + 9)..];
        var end = rest.IndexOf((byte)'"');
        if (end <= 0)
        {
            return false;
        }

        kind = KnownKind(rest[..end]);
        return true;
    }

    private static string KnownKind(ReadOnlySpan<byte> kind) =>
        kind.SequenceEqual("event"u8) ? AuditKinds.Event
        : kind.SequenceEqual("delivery"u8) ? AuditKinds.Delivery
        : kind.SequenceEqual("system"u8) ? AuditKinds.System
        : kind.SequenceEqual("admin"u8) ? AuditKinds.Admin
        : kind.SequenceEqual("auth-failure"u8) ? AuditKinds.AuthFailure
        : Encoding.UTF8.GetString(kind);
}
