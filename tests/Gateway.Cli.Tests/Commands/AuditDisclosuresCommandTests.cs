using System.Text.Json;
using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Commands;

public class AuditDisclosuresCommandTests(KnownLogFixture log) : IClassFixture<KnownLogFixture>
{
    private string[] Args(params string[] more) =>
        ["audit", "disclosures", log.AuditDir, "--practice", KnownAuditLog.Dental, "--config", log.Config, "--user-id", KnownAuditLog.MariaUserId, .. more];

    [Fact]
    public void Table_ListsEachDisclosure_WithDestinationTimePolicyBaaAndFields()
    {
        var result = Ctl.Run(Args());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2026-11-02T09:01:00.000Z", result.Out);
        Assert.Contains("2026-11-04T09:30:00.000Z", result.Out);
        Assert.Contains("track:Appointment Requested", result.Out);
        Assert.Contains("dental 2026.11.0", result.Out);
        Assert.Contains("generalized (zip3): properties.zip", result.Out);
        Assert.Contains("2 disclosure(s); 3 event record(s) of this person read, 1 of them not disclosed", result.Out);
        Assert.DoesNotContain("Pricing Page Viewed", result.Out);
        Assert.DoesNotContain("maria", result.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Csv_HasOneRowPerDisclosure()
    {
        var result = Ctl.Run(Args("--format", "csv"));
        var lines = result.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("disclosed_at,destination,practice,vertical,event_type,", lines[0]);
        Assert.StartsWith("2026-11-02T09:01:00.000Z,scoring,p-dental,dental,identify,", lines[1]);
        Assert.Contains(",8,21,false,", lines[2]);
        Assert.Contains(",outbox,", lines[2]);
    }

    [Fact]
    public void Json_HoldsTheDisclosures_AndTheCounts()
    {
        var result = Ctl.Run(Args("--format", "json"));
        using var document = JsonDocument.Parse(result.Out);
        var root = document.RootElement;
        Assert.Equal(2, root.GetProperty("disclosures").GetArrayLength());
        Assert.Equal(1, root.GetProperty("eventsNotDisclosed").GetInt32());
        var first = root.GetProperty("disclosures")[0];
        Assert.Equal(7, first.GetProperty("baa").GetInt64());
        Assert.Contains("userId", first.GetProperty("fields").GetProperty("pseudonymized").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("maria", result.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Period_IsTheDisclosureTime()
    {
        var result = Ctl.Run(Args("--from", "2026-11-03", "--to", "2026-11-30", "--format", "csv"));
        Assert.Equal(2, result.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void UsageErrors_Exit2()
    {
        Assert.Equal(2, Ctl.Run("audit", "disclosures", log.AuditDir, "--config", log.Config, "--user-id", "x").ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "disclosures", log.AuditDir, "--practice", KnownAuditLog.Dental, "--config", log.Config).ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "disclosures", log.AuditDir, "--practice", KnownAuditLog.Dental, "--user-id", "x").ExitCode);
        Assert.Equal(2, Ctl.RunWithInput(string.Empty, "audit", "disclosures", log.AuditDir, "--practice", KnownAuditLog.Dental, "--config", log.Config, "--identifier-stdin", "email").ExitCode);
    }
}
