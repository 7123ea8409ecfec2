using System.Text.Json;
using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Commands;

public class AuditSearchCommandTests(KnownLogFixture log) : IClassFixture<KnownLogFixture>
{
    private static void AssertNoIdentifier(CliResult result) =>
        Assert.DoesNotContain("maria", result.All, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void ByUserId_FindsThePersonsEvents_AcrossTheKeyRotation_WithoutPrintingTheIdentifier()
    {
        var result = Ctl.Run("audit", "search", log.AuditDir, "--practice", KnownAuditLog.Dental, "--config", log.Config, "--user-id", KnownAuditLog.MariaUserId);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("identify", result.Out);
        Assert.Contains("track:Pricing Page Viewed", result.Out);
        Assert.Contains("track:Appointment Requested", result.Out);
        Assert.Contains("k1:", result.Out);
        Assert.Contains("k2:", result.Out);
        Assert.Contains("3 record(s) matched", result.Error);
        AssertNoIdentifier(result);
    }

    [Fact]
    public void IdentifierFromStandardInput_KeepsItOutOfTheArguments()
    {
        var result = Ctl.RunWithInput(KnownAuditLog.MariaUserId + "\n",
            "audit", "search", log.AuditDir, "--practice", KnownAuditLog.Dental, "--config", log.Config, "--identifier-stdin", "user-id", "--format", "csv");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, result.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        AssertNoIdentifier(result);
    }

    [Fact]
    public void PracticeWhoseKeyIsInASecretFile_FindsItsOwnPatientOnly()
    {
        var result = Ctl.Run("audit", "search", log.AuditDir, "--practice", KnownAuditLog.Health, "--config", log.Config, "--email", KnownAuditLog.MariaUserId, "--format", "json");
        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var document = JsonDocument.Parse(line);
        Assert.Equal(KnownAuditLog.Health, document.RootElement.GetProperty("practice").GetString());
        AssertNoIdentifier(result);
    }

    [Theory]
    [InlineData(1, "--outcome", "rejected")]
    [InlineData(1, "--kind", "delivery", "--outcome", "failed")]
    [InlineData(2, "--event-type", "identify")]
    [InlineData(5, "--from", "2026-11-04", "--to", "2026-11-04")]
    [InlineData(2, "--practice", KnownAuditLog.Health)]
    [InlineData(1, "--kind", "auth-failure")]
    [InlineData(13)]
    public void Filters_SelectTheKnownRecords(int expected, params string[] filters)
    {
        var result = Ctl.Run(["audit", "search", log.AuditDir, "--format", "json", .. filters]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void JsonLines_AreTheRecordsAsStored()
    {
        var result = Ctl.Run("audit", "search", log.AuditDir, "--format", "json");
        var stored = Directory.GetFiles(log.AuditDir).Order().SelectMany(File.ReadAllLines);
        Assert.Equal(stored, result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Csv_HasAHeader_AndOneRowPerRecord()
    {
        var result = Ctl.Run("audit", "search", log.AuditDir, "--format", "csv", "--kind", "event", "--limit", "2");
        var lines = result.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("instance,seq,ts,kind,practice,", lines[0]);
        Assert.Contains(",event,p-dental,dental,2026.11.0,", lines[1]);
    }

    [Theory]
    [InlineData("--user-id", "someone")]
    [InlineData("--practice", "p-dental", "--practice", "p-health", "--config", "CONFIG", "--user-id", "someone")]
    [InlineData("--practice", "p-dental", "--user-id", "someone")]
    [InlineData("--practice", "p-dental", "--config", "CONFIG", "--user-id", "someone", "--email", "other@example.org")]
    [InlineData("--practice", "p-unknown", "--config", "CONFIG", "--user-id", "someone")]
    [InlineData("--practice", "p-dental", "--config", "missing.json", "--user-id", "someone")]
    [InlineData("--from", "last tuesday")]
    [InlineData("--from", "2026-11-05", "--to", "2026-11-01")]
    [InlineData("--format", "xml")]
    public void UsageErrors_Exit2(params string[] options)
    {
        var result = Ctl.Run(["audit", "search", log.AuditDir, .. options.Select(o => o == "CONFIG" ? log.Config : o)]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("someone", result.All);
    }

    [Fact]
    public void AMistypedOption_DoesNotEchoTheIdentifier()
    {
        var result = Ctl.Run("audit", "search", log.AuditDir, "--practice", "p-dental", "--config", log.Config, "--email", "patient@example.org", "--frmo", "2026");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--frmo", result.Error);
        Assert.DoesNotContain("patient@example.org", result.All);
    }

    [Fact]
    public void MissingFolder_Exits2()
    {
        Assert.Equal(2, Ctl.Run("audit", "search", Path.Combine(log.AuditDir, "nope")).ExitCode);
    }

    [Fact]
    public void Search_NeverWritesAnywhere()
    {
        var before = Directory.GetFiles(Path.GetDirectoryName(log.AuditDir)!, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList();
        Ctl.Run("audit", "search", log.AuditDir, "--practice", KnownAuditLog.Dental, "--config", log.Config, "--user-id", KnownAuditLog.MariaUserId);
        var after = Directory.GetFiles(Path.GetDirectoryName(log.AuditDir)!, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList();
        Assert.Equal(before, after);
        Assert.True(new AuditChainVerifier().Verify(log.AuditDir).IsValid);
    }
}
