using System.Text;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

public class AuditChainVerifierTests : IDisposable
{
    private readonly TempDirectory _dir = new("audit");

    public void Dispose() => _dir.Dispose();

    private async Task<string[]> WriteLogAsync(int records, long maxFileBytes = AuditFileOptions.DefaultMaxFileBytes)
    {
        using (var log = FileAuditLog.Open(new AuditFileOptions { Directory = _dir.Path, InstanceId = "gw1", MaxFileBytes = maxFileBytes }))
        {
            for (var i = 0; i < records; i++)
            {
                await log.AppendAsync([Encoding.UTF8.GetBytes($$"""{"kind":"event","outcome":"forward","n":{{i}}}""")]);
            }
        }

        return [.. AuditFileNames.Find(_dir.Path)["gw1"].Select(f => f.Path)];
    }

    private AuditProblem SingleProblem()
    {
        var result = new AuditChainVerifier().Verify(_dir.Path);
        Assert.False(result.IsValid);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public async Task EditedByte_IsReported_AtItsLine()
    {
        var file = (await WriteLogAsync(20)).Single();
        var lines = File.ReadAllLines(file);
        lines[9] = lines[9].Replace("\"outcome\":\"forward\"", "\"outcome\":\"forwarD\"", StringComparison.Ordinal);
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        var problem = SingleProblem();
        Assert.Equal(10, problem.Line);
        Assert.Contains("altered", problem.Message);
    }

    [Fact]
    public async Task DeletedRecord_IsReported()
    {
        var file = (await WriteLogAsync(20)).Single();
        var lines = File.ReadAllLines(file).ToList();
        lines.RemoveAt(5);
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        var problem = SingleProblem();
        Assert.Equal(6, problem.Line);
        Assert.Contains("deleted", problem.Message);
    }

    [Fact]
    public async Task ReorderedRecords_AreReported()
    {
        var file = (await WriteLogAsync(20)).Single();
        var lines = File.ReadAllLines(file);
        (lines[7], lines[8]) = (lines[8], lines[7]);
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        Assert.Equal(8, SingleProblem().Line);
    }

    [Fact]
    public async Task RemovedMiddleFile_IsReported()
    {
        var files = await WriteLogAsync(40, maxFileBytes: 1_500);
        Assert.True(files.Length >= 3);
        File.Delete(files[1]);
        Assert.Contains("missing", SingleProblem().Message);
    }

    [Fact]
    public async Task TruncatedTail_IsReported_WhenALineIsCut()
    {
        var file = (await WriteLogAsync(10)).Single();
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^10]);
        Assert.Contains("incomplete", SingleProblem().Message);
    }

    [Fact]
    public async Task CutOffWholeRecords_AreReported_OnlyAgainstACheckpoint()
    {
        var file = (await WriteLogAsync(10)).Single();
        var lines = File.ReadAllLines(file);
        AuditLine.TryParseChain(Encoding.UTF8.GetBytes(lines[^1]), out var seq, out _, out var hash);
        File.WriteAllText(file, string.Join('\n', lines[..^3]) + "\n");

        Assert.True(new AuditChainVerifier().Verify(_dir.Path).IsValid);

        var checkpoint = new AuditCheckpoint("gw1", seq, hash, DateTimeOffset.UnixEpoch, "k", "sig");
        var result = new AuditChainVerifier { Checkpoints = [checkpoint] }.Verify(_dir.Path);
        Assert.Contains("removed from the end", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public async Task InsertedRecord_IsReported()
    {
        var file = (await WriteLogAsync(10)).Single();
        var lines = File.ReadAllLines(file).ToList();
        lines.Insert(4, lines[3]);
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        Assert.Equal(5, SingleProblem().Line);
    }

    [Fact]
    public void EmptyFolder_IsNotValid()
    {
        Assert.False(new AuditChainVerifier().Verify(_dir.Path).IsValid);
    }
}
