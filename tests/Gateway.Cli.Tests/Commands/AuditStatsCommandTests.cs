using System.Text.Json;
using Gateway.Cli.Tests.Support;

namespace Gateway.Cli.Tests.Commands;

public class AuditStatsCommandTests(KnownLogFixture log) : IClassFixture<KnownLogFixture>
{
    [Fact]
    public void Table_CountsOutcomesReasonsActionsAndDeliveries()
    {
        var result = Ctl.Run("audit", "stats", log.AuditDir);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("13 records from 2026-11-02T09:00:00.000Z to 2026-11-05T09:00:00.000Z.", result.Out);
        Assert.Matches(@"│ dropped: consent-missing\s+│ 1\s+│", result.Out);
        Assert.Matches(@"│ scoring: dropped \(consent-missing\)\s+│ 1\s+│", result.Out);
        Assert.Matches(@"│ forward\s+│ 4\s+│", result.Out);
        Assert.Contains("what was done to fields", result.Out);
        Assert.DoesNotContain("field actions by policy path", result.Out);
        Assert.Contains("field actions by policy path", Ctl.Run("audit", "stats", log.AuditDir, "--by-path").Out);
    }

    [Fact]
    public void Json_And_Csv_CarryTheSameCounts()
    {
        var json = Ctl.Run("audit", "stats", log.AuditDir, "--format", "json", "--practice", "p-dental");
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(3, document.RootElement.GetProperty("groups").GetProperty("outcome").GetProperty("forward").GetInt64());

        var csv = Ctl.Run("audit", "stats", log.AuditDir, "--format", "csv", "--practice", "p-dental");
        Assert.Contains("outcome,forward,3\r\n", csv.Out);
        Assert.Contains("group,key,count\r\n", csv.Out);
    }

    [Fact]
    public void Period_WithNoRecords_SaysSo()
    {
        var result = Ctl.Run("audit", "stats", log.AuditDir, "--from", "2027-01-01");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No records in the period.", result.Out);
    }

    [Fact]
    public void UsageErrors_Exit2()
    {
        Assert.Equal(2, Ctl.Run("audit", "stats", Path.Combine(log.AuditDir, "missing")).ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "stats", log.AuditDir, "--to", "not-a-date").ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "stats", log.AuditDir, "--format", "pdf").ExitCode);
    }
}
