using Gateway.Cli.Tests.Support;

namespace Gateway.Cli.Tests.Commands;

public class PolicyTestCommandTests
{
    [Fact]
    public void ShippedFixtures_AllPass()
    {
        var result = Ctl.Run("policy", "test", RepoPaths.Policies);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("dental: 21 passed, 0 failed", result.Out);
        Assert.DoesNotContain("FAIL", result.Out);
    }

    [Fact]
    public void AChangedRule_FailsItsFixture_WithAJsonPathDiff()
    {
        using var policies = new PolicyCopy("dental");
        policies.Edit("dental", "policy.yaml",
            "      properties.zip: { action: generalize, method: zip3, derive: [in_service_area] }\n      properties.notes:\n        action: redact-text",
            "      properties.zip: { action: drop, derive: [in_service_area] }\n      properties.notes:\n        action: redact-text");
        var result = Ctl.Run("policy", "test", policies.Folder("dental"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL dental/appointment-requested.fixture.json", result.Out);
        Assert.Contains("  output.properties.zip: expected \"021\", missing", result.Out);
        Assert.Contains("dental: 20 passed, 1 failed", result.Out);
    }

    [Fact]
    public void AWrongExpectation_FailsWithExpectedAndActual()
    {
        using var policies = new PolicyCopy("dental");
        policies.Edit("dental", "fixtures/page-view.fixture.json", "\"page_type\": \"service\"\n      },\n      \"category\"", "\"page_type\": \"blog\"\n      },\n      \"category\"");
        var result = Ctl.Run("policy", "test", policies.Folder("dental"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("output.properties.page_type: expected \"blog\", got \"service\"", result.Out);
    }

    [Fact]
    public void APolicyThatDoesNotLoad_IsNotTested_AndExits1()
    {
        using var policies = new PolicyCopy("dental");
        policies.Edit("dental", "policy.yaml", "name: dental", "name: dentistry");
        var result = Ctl.Run("policy", "test", policies.Folder("dental"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not tested, the policy does not load", result.Out);
    }

    [Fact]
    public void NoFixtures_Exits1()
    {
        using var policies = new PolicyCopy("dental");
        Directory.Delete(Path.Combine(policies.Folder("dental"), "fixtures"), recursive: true);
        var result = Ctl.Run("policy", "test", policies.Folder("dental"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no fixtures", result.Out);
    }
}
