using System.Text;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;
using Gateway.Testing;

namespace Gateway.Compliance.Tests.Audit;

public class FileAuditLogTests : IDisposable
{
    private readonly TempDirectory _dir = new("audit");

    public void Dispose() => _dir.Dispose();

    private AuditFileOptions Options(FaultSwitch? faults = null, long maxFileBytes = AuditFileOptions.DefaultMaxFileBytes) => new()
    {
        Directory = _dir.Path,
        InstanceId = "gw-test",
        MaxFileBytes = maxFileBytes,
        WrapStream = faults is null ? null : s => new FaultyStream(s, faults),
    };

    private static byte[] Body(int i) => Encoding.UTF8.GetBytes($$"""{"kind":"event","n":{{i}}}""");

    private static async Task AppendManyAsync(FileAuditLog log, int count, int start = 0)
    {
        var tasks = Enumerable.Range(start, count).Select(i => log.AppendAsync([Body(i)]).AsTask());
        await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task AppendedRecords_AreDurableChainedLines_ThatVerify()
    {
        using (var log = FileAuditLog.Open(Options()))
        {
            await AppendManyAsync(log, 500);
            Assert.Equal(501, log.Head.Count);
        }

        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(501, result.Records);
        var first = File.ReadLines(Directory.GetFiles(_dir.Path).Single()).First();
        Assert.StartsWith("""{"seq":1,"ts":""", first);
        Assert.Contains("\"instance\":\"gw-test\",\"kind\":\"system\",\"action\":\"audit-opened\"", first);
        Assert.Contains($"\"prev\":\"{AuditJson.GenesisHash}\"", first);
    }

    [Fact]
    public async Task RecordsWithCharactersOutsideAscii_ReachTheFileByteForByte_AndVerify()
    {
        // Two- to four-byte UTF-8 sequences (a name of a rule set, an emoji, CJK): the group goes to the sink as bytes.
        var body = Encoding.UTF8.GetBytes("{\"kind\":\"event\",\"note\":\"Zahnärztin · 歯科 · 🦷\"}");
        using (var log = FileAuditLog.Open(Options()))
        {
            await log.AppendAsync([body, body]);
        }

        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(3, result.Records);
        var lines = File.ReadAllLines(Directory.GetFiles(_dir.Path).Single(), Encoding.UTF8);
        Assert.All(lines[1..], line => Assert.Contains("\"note\":\"Zahnärztin · 歯科 · 🦷\"", line));
    }

    [Fact]
    public async Task Reopening_ContinuesTheChain()
    {
        using (var log = FileAuditLog.Open(Options()))
        {
            await AppendManyAsync(log, 10);
        }

        using (var log = FileAuditLog.Open(Options()))
        {
            await AppendManyAsync(log, 10);
            Assert.Equal(22, log.Head.Count);
        }

        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(22, result.Records);
    }

    [Fact]
    public async Task Reopening_RemovesATornLastLine_AndSaysSo()
    {
        using (var log = FileAuditLog.Open(Options()))
        {
            await AppendManyAsync(log, 5);
        }

        var file = Directory.GetFiles(_dir.Path).Single();
        const string torn = "{\"seq\":7,\"ts\":\"2026-";
        File.AppendAllText(file, torn);
        using (var log = FileAuditLog.Open(Options()))
        {
            await log.AppendAsync([Body(99)]);
        }

        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Contains($"\"tornBytesRemoved\":{torn.Length}", File.ReadAllText(file));
    }

    [Fact]
    public async Task Rotation_StartsNewFiles_NamedByFirstSeq_AndTheChainSpansThem()
    {
        using (var log = FileAuditLog.Open(Options(maxFileBytes: 2_000)))
        {
            for (var i = 0; i < 60; i++)
            {
                await log.AppendAsync([Body(i)]);
            }
        }

        var files = AuditFileNames.Find(_dir.Path)["gw-test"];
        Assert.True(files.Count > 3);
        Assert.Equal(1, files[0].FirstSeq);
        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(61, result.Records);
    }

    [Fact]
    public async Task FailedWrite_FailsTheWaiters_ThenRecovers_WithoutATornChain()
    {
        var faults = new FaultSwitch();
        using (var log = FileAuditLog.Open(Options(faults)))
        {
            await AppendManyAsync(log, 5);
            faults.FailWritesAfterBytes = 40;
            await Assert.ThrowsAsync<AuditUnavailableException>(() => log.AppendAsync([Body(100)]).AsTask());
            Assert.False(log.IsHealthy);

            faults.FailWritesAfterBytes = null;
            await log.AppendAsync([Body(101)]);
            Assert.True(log.IsHealthy);
        }

        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.DoesNotContain("\"n\":100", File.ReadAllText(Directory.GetFiles(_dir.Path).Single()));
        Assert.Contains("\"n\":101", File.ReadAllText(Directory.GetFiles(_dir.Path).Single()));
    }

    [Fact]
    public async Task FailedFsync_IsAFailure_NotAnAcknowledgement()
    {
        var faults = new FaultSwitch();
        using var log = FileAuditLog.Open(Options(faults));
        await log.AppendAsync([Body(1)]);
        faults.FailFlush = true;
        await Assert.ThrowsAsync<AuditUnavailableException>(() => log.AppendAsync([Body(2)]).AsTask());
        faults.FailFlush = false;
    }

    [Fact]
    public async Task RemovedAuditFolder_IsAFailure_AndTheNextGroupStartsAFreshFile()
    {
        using var log = FileAuditLog.Open(Options());
        await log.AppendAsync([Body(1)]);
        Directory.Delete(_dir.Path, recursive: true);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => log.AppendAsync([Body(2)]).AsTask());
        await log.AppendAsync([Body(3)]);
        Assert.True(File.Exists(Path.Combine(_dir.Path, AuditFileNames.For("gw-test", log.Head.Count))));
    }

    [Fact]
    public async Task GroupCommit_WritesConcurrentAppendsInFewerSyncsThanRecords()
    {
        var groups = 0;
        var options = Options() with { OnDurable = _ => Interlocked.Increment(ref groups) };
        using var log = FileAuditLog.Open(options);
        await AppendManyAsync(log, 2000);
        Assert.True(groups < 2000, $"{groups} groups for 2000 records");
    }
}
