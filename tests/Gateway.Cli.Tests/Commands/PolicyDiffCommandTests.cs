using System.Text.Json;
using Gateway.Cli.Tests.Support;

namespace Gateway.Cli.Tests.Commands;

public class PolicyDiffCommandTests
{
    [Fact]
    public void SamePolicy_HasNoChanges()
    {
        var result = Ctl.Run("policy", "diff", RepoPaths.Policy("dental"), RepoPaths.Policy("dental"), "--exit-code");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No changes: rules, settings and the output of all 21 fixtures are the same.", result.Out);
    }

    [Fact]
    public void ShowsRuleChanges_PerEventType_AndTheirEffectOnFixtures()
    {
        using var policies = new PolicyCopy("dental");
        policies.Edit("dental", "policy.yaml", "version: \"2026.11.0\"", "version: \"2026.12.0\"");
        policies.Edit("dental", "policy.yaml",
            "      properties.zip: { action: generalize, method: zip3, derive: [in_service_area] }\n      properties.notes:\n        action: redact-text",
            "      properties.zip: { action: drop, derive: [in_service_area] }\n      properties.notes:\n        action: redact-text");
        policies.Edit("dental", "policy.yaml", "  context.locale: { action: keep, class: non-phi, guard: locale }", "  context.locale: drop");
        var result = Ctl.Run("policy", "diff", RepoPaths.Policy("dental"), policies.Folder("dental"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("version: 2026.11.0 → 2026.12.0", result.Out);
        Assert.Contains("  every event type (common fields):", result.Out);
        Assert.Contains("~ context.locale: keep {guard: \"locale\"} class non-phi → drop [action, options, class]", result.Out);
        Assert.Contains("  track:Appointment Requested:", result.Out);
        Assert.Contains("~ properties.zip: generalize {method: \"zip3\"} derive [in_service_area] → drop derive [in_service_area] [action, options]", result.Out);
        Assert.Contains("appointment-requested.fixture.json (track:Appointment Requested):", result.Out);
        Assert.Contains("output.properties.zip: \"021\" → (absent)", result.Out);
        Assert.Contains("output.context.locale: \"en-US\" → (absent)", result.Out);

        Assert.Equal(1, Ctl.Run("policy", "diff", RepoPaths.Policy("dental"), policies.Folder("dental"), "--exit-code").ExitCode);
        using var json = JsonDocument.Parse(Ctl.Run("policy", "diff", RepoPaths.Policy("dental"), policies.Folder("dental"), "--format", "json").Out);
        Assert.Equal(2, json.RootElement.GetProperty("fieldChanges").GetArrayLength());
    }

    [Fact]
    public void APolicyThatDoesNotLoad_Exits1_AndMissingFolders_Exit2()
    {
        using var policies = new PolicyCopy("dental");
        policies.Edit("dental", "policy.yaml", "name: dental", "name: other");
        Assert.Equal(1, Ctl.Run("policy", "diff", RepoPaths.Policy("dental"), policies.Folder("dental")).ExitCode);
        Assert.Equal(2, Ctl.Run("policy", "diff", RepoPaths.Policy("dental"), Path.Combine(policies.Root, "nope")).ExitCode);
        Assert.Equal(2, Ctl.Run("policy", "diff", RepoPaths.Policy("dental")).ExitCode);
    }
}
