using System.Text;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

/// <summary>Sealed audit files kept Zstandard-compressed: the chain, the checkpoints and every reader see the same lines.</summary>
public class AuditSegmentCompressionTests : IDisposable
{
    private readonly TempDirectory _dir = new("audit-gz");

    public void Dispose() => _dir.Dispose();

    private async Task<IReadOnlyList<(string Path, long FirstSeq)>> WriteLogAsync(int records, long maxFileBytes)
    {
        using (var log = FileAuditLog.Open(new AuditFileOptions { Directory = _dir.Path, InstanceId = "gw1", MaxFileBytes = maxFileBytes }))
        {
            for (var i = 0; i < records; i++)
            {
                await log.AppendAsync([Encoding.UTF8.GetBytes($$"""{"kind":"event","outcome":"forward","vertical":"dental","fields":{"properties.email":"drop","properties.notes":"redact-text"},"n":{{i}}}""")]);
            }
        }

        return AuditFileNames.Find(_dir.Path)["gw1"];
    }

    [Fact]
    public async Task SealedFiles_AreCompressed_TheNewestIsNot_AndTheChainStillVerifiesWithTheSameRecords()
    {
        var files = await WriteLogAsync(3000, maxFileBytes: 64 * 1024);
        Assert.True(files.Count >= 3);
        var before = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(before.IsValid);
        var plainBytes = files.Sum(f => new FileInfo(f.Path).Length);
        var recordsBefore = new AuditReader([_dir.Path]).Read().Select(r => (r.Seq, Encoding.UTF8.GetString(r.Raw.Span))).ToList();

        var compressed = AuditSegmentCompression.CompressSealed(_dir.Path, "gw1");

        Assert.Equal(files.Count - 1, compressed.Count);
        var after = AuditFileNames.Find(_dir.Path)["gw1"];
        Assert.All(after.Take(after.Count - 1), f => Assert.EndsWith(".jsonl.zst", f.Path));
        Assert.EndsWith(".jsonl", after[^1].Path);
        Assert.True(after.Sum(f => new FileInfo(f.Path).Length) * 3 < plainBytes, "compression should save most of the space");
        var verified = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(verified.IsValid, string.Join("; ", verified.Problems));
        Assert.Equal(before.Instances[0].Records, verified.Instances[0].Records);
        Assert.Equal(before.Instances[0].HeadHash, verified.Instances[0].HeadHash);
        Assert.Equal(recordsBefore, new AuditReader([_dir.Path]).Read().Select(r => (r.Seq, Encoding.UTF8.GetString(r.Raw.Span))).ToList());
    }

    [Fact]
    public async Task AnEditInsideACompressedSegment_IsFoundByVerify()
    {
        await WriteLogAsync(2000, maxFileBytes: 64 * 1024);
        var first = AuditSegmentCompression.CompressSealed(_dir.Path, "gw1")[0];
        string text;
        using (var reader = new StreamReader(AuditSegmentCompression.OpenRead(first)))
        {
            text = reader.ReadToEnd();
        }

        var edited = text.Replace("\"n\":17,", "\"n\":71,", StringComparison.Ordinal);
        Assert.NotEqual(text, edited);
        // Re-compressed the way an editor with the zstd tool would (no content size in the frame).
        using (var file = File.Create(first))
        using (var output = new ZstdSharp.CompressionStream(file, 1))
        {
            output.Write(Encoding.UTF8.GetBytes(edited));
        }

        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(Path.GetFileName(first), problem.File);
        Assert.True(problem.Seq == 19, problem.Message); // n = 17 is the 18th event record, after the record the log writes when it opens
    }

    [Fact]
    public async Task ACorruptCompressedSegment_FailsVerifyInsteadOfPassing()
    {
        await WriteLogAsync(2000, maxFileBytes: 64 * 1024);
        var first = AuditSegmentCompression.CompressSealed(_dir.Path, "gw1")[0];
        var bytes = File.ReadAllBytes(first);
        File.WriteAllBytes(first, bytes[..(bytes.Length / 2)]);
        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.False(result.IsValid);
        Assert.Equal(Path.GetFileName(first), result.Problems[0].File);
    }

    public enum Damage
    {
        LastByteCut,
        ChecksumRemoved,
        JunkAppended,
        SecondFrameAppended,
    }

    [Theory]
    [InlineData(Damage.LastByteCut)]
    [InlineData(Damage.ChecksumRemoved)]
    [InlineData(Damage.JunkAppended)]
    [InlineData(Damage.SecondFrameAppended)]
    public async Task DamageAtTheEndOfACompressedSegment_FailsVerify_AndReadersRefuseIt(Damage damage)
    {
        await WriteLogAsync(2000, maxFileBytes: 64 * 1024);
        var first = AuditSegmentCompression.CompressSealed(_dir.Path, "gw1")[0];
        var bytes = File.ReadAllBytes(first);
        byte[] damaged = damage switch
        {
            Damage.LastByteCut => bytes[..^1],
            Damage.ChecksumRemoved => bytes[..^4],
            Damage.JunkAppended => [.. bytes, .. "junk after the frame"u8.ToArray()],
            _ => [.. bytes, .. Frame("""{"seq":999999,"kind":"event","note":"a record no chain covers"}""" + "\n")],
        };
        File.WriteAllBytes(first, damaged);

        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.False(result.IsValid);
        Assert.Equal(Path.GetFileName(first), result.Problems[0].File);
        Assert.Throws<InvalidDataException>(() => new AuditReader([_dir.Path]).Read().Count());
    }

    private static byte[] Frame(string text)
    {
        using var memory = new MemoryStream();
        using (var output = new ZstdSharp.CompressionStream(memory, 3, leaveOpen: true))
        {
            output.Write(Encoding.UTF8.GetBytes(text));
        }

        return memory.ToArray();
    }

    [Fact]
    public async Task ACrashBetweenCopyAndRemoval_LeavesBothForms_TheOriginalCounts_AndTheNextRoundFinishes()
    {
        var files = await WriteLogAsync(2000, maxFileBytes: 64 * 1024);
        var original = files[0].Path;
        var records = new AuditReader([_dir.Path]).Read().Count();
        var copy = AuditSegmentCompression.Compress(original);
        using (var plain = File.Create(original))
        using (var stream = AuditSegmentCompression.OpenRead(copy))
        {
            stream.CopyTo(plain);
        }

        // Both forms: the listing has the plain file once, and verify and the reader see each record once.
        Assert.Equal(original, AuditFileNames.Find(_dir.Path)["gw1"][0].Path);
        Assert.True(new AuditChainVerifier().Verify(_dir.Path).IsValid);
        Assert.Equal(records, new AuditReader([_dir.Path]).Read().Count());

        AuditSegmentCompression.CompressSealed(_dir.Path, "gw1");
        Assert.False(File.Exists(original));
        Assert.True(new AuditChainVerifier().Verify(_dir.Path).IsValid);
    }

    [Fact]
    public async Task TheLogReopens_AndContinuesTheChain_AfterItsSealedFilesWereCompressed()
    {
        await WriteLogAsync(1500, maxFileBytes: 64 * 1024);
        var before = new AuditChainVerifier().Verify(_dir.Path).Records;
        AuditSegmentCompression.CompressSealed(_dir.Path, "gw1");
        await WriteLogAsync(10, maxFileBytes: 64 * 1024);
        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));

        // Ten more records, and the record the log writes when it opens: nothing lost, nothing repeated.
        Assert.Equal(before + 11, result.Records);
    }
}
