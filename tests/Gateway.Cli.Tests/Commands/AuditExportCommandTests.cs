using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Commands;

public class AuditExportCommandTests(KnownLogFixture log) : IClassFixture<KnownLogFixture>, IDisposable
{
    private readonly TempDirectory _out = new("export");

    public void Dispose() => _out.Dispose();

    [Fact]
    public void JsonLines_ToAFile_AreTheStoredLinesOfThePeriod()
    {
        var file = Path.Combine(_out.Path, "2026-11-03.jsonl");
        var result = Ctl.Run("audit", "export", log.AuditDir, "--from", "2026-11-03", "--to", "2026-11-03", "--output", file);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("exported 2 record(s)", result.Error);
        var day2 = Directory.GetFiles(log.AuditDir).Order().ElementAt(1);
        Assert.Equal(File.ReadAllText(day2), File.ReadAllText(file));
        Assert.False(File.Exists(file + ".partial"));
    }

    [Fact]
    public void Csv_HasAHeaderAndEveryRecord()
    {
        var result = Ctl.Run("audit", "export", log.AuditDir, "--format", "csv");
        var lines = result.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(14, lines.Length);
        Assert.Contains(",auth-failure,", lines[^1]);
        Assert.Contains("\"{\"\"surface\"\":\"\"ingest\"\",\"\"reason\"\":\"\"unknown-write-key\"\"}\"", lines[^1]);
    }

    [Fact]
    public void AnExistingFile_IsNeverOverwritten()
    {
        var file = Path.Combine(_out.Path, "exists.jsonl");
        File.WriteAllText(file, "keep me");
        Assert.Equal(2, Ctl.Run("audit", "export", log.AuditDir, "--output", file).ExitCode);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void UsageErrors_Exit2()
    {
        Assert.Equal(2, Ctl.Run("audit", "export", log.AuditDir, "--format", "xlsx").ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "export").ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "export", Path.Combine(log.AuditDir, "missing")).ExitCode);
    }
}
