using Gateway.Cli.Tests.Support;

namespace Gateway.Cli.Tests.Commands;

public class PolicyLintCommandTests
{
    [Fact]
    public void ShippedPolicies_AreClean()
    {
        var result = Ctl.Run("policy", "lint", RepoPaths.Policies);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("dental: ok (2026.11.0,", result.Out);
        Assert.Contains("healthcare: ok", result.Out);
        Assert.Contains("digital-health: ok", result.Out);
    }

    [Fact]
    public void BrokenPolicy_ReportsEveryError_WithFileLineAndPath_AndExits1()
    {
        using var policies = new PolicyCopy("dental", "healthcare");
        policies.Edit("dental", "policy.yaml", "    category: { action: keep, class: non-phi, values: page_category }", "    category: { action: kep, class: non-phi, values: page_category }");
        policies.Edit("dental", "policy.yaml", "  context.ip: drop ", "  context.ipp: drop ");
        File.Delete(Path.Combine(policies.Folder("dental"), "schemas", "alias.schema.json"));
        var result = Ctl.Run("policy", "lint", policies.Root);
        Assert.Equal(1, result.ExitCode);
        var line = File.ReadAllLines(Path.Combine(policies.Folder("dental"), "policy.yaml")).ToList().FindIndex(l => l.StartsWith("    category:", StringComparison.Ordinal)) + 1;
        Assert.Contains($"error: dental/policy.yaml:{line}:", result.Out);
        Assert.Contains("page.fields.\"category\"", result.Out);
        Assert.Contains("context.ip", result.Out);
        Assert.Contains("alias.schema.json", result.Out);
        Assert.Matches(@"dental: [3-9] error\(s\)", result.Out);
        Assert.Contains("healthcare: ok", result.Out);
    }

    [Fact]
    public void ScoringCondition_ThePolicyCanNeverForward_IsALintError()
    {
        // The policy forwards minutes attended as a band label ("30-60"); a number test on it can never hold.
        using var policies = new PolicyCopy("digital-health");
        policies.Edit("digital-health", "scoring.yaml", "properties.minutes_attended: [30-60, 60+]", "properties.minutes_attended: { atLeast: 30 }");

        var result = Ctl.Run("policy", "lint", policies.Root);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "error: digital-health/scoring.yaml:89:19: intent.events.\"Webinar Attended\".variants[1].when.properties.minutes_attended: 'atLeast: 30' can never hold",
            result.Out);
        Assert.Contains("test the labels instead: [30-60, 60+]", result.Out);
        Assert.Contains("digital-health: 1 error(s)", result.Out);
    }

    [Fact]
    public void UnreadableFixture_IsALintError()
    {
        using var policies = new PolicyCopy("dental");
        File.WriteAllText(Path.Combine(policies.Folder("dental"), "fixtures", "broken.fixture.json"), "{ \"input\": { \"type\": ");
        File.WriteAllText(Path.Combine(policies.Folder("dental"), "fixtures", "no-expect.fixture.json"), "{ \"input\": {} }");
        var result = Ctl.Run("policy", "lint", policies.Folder("dental"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: dental/fixtures/broken.fixture.json: not valid JSON", result.Out);
        Assert.Contains("error: dental/fixtures/no-expect.fixture.json: needs 'input' and 'expect'", result.Out);
    }

    [Fact]
    public void MissingOrEmptyFolder_Exits2()
    {
        Assert.Equal(2, Ctl.Run("policy", "lint", Path.Combine(RepoPaths.Root, "no-such-folder")).ExitCode);
        Assert.Equal(2, Ctl.Run("policy", "lint", Path.Combine(RepoPaths.Root, "docs")).ExitCode);
        Assert.Equal(2, Ctl.Run("policy", "lint").ExitCode);
    }
}
