using Gateway.Compliance.Policies;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Policies;

public class PolicyDiffTests
{
    [Fact]
    public void SamePolicy_HasNoChanges()
    {
        var policy = new PolicyLoader().LoadOrThrow(RepoPaths.Policy("dental"));
        var diff = PolicyDiff.Compare(policy, policy);
        Assert.False(diff.HasChanges);
        Assert.Equal(PolicyFixture(RepoPaths.Policy("dental")), diff.FixturesCompared);
    }

    [Fact]
    public void ReportsRuleChanges_RemovedEventTypes_CommonChangesOnce_AndFixtureOutputDifferences()
    {
        using var after = new PolicyCopy("dental");
        after.Edit("version: \"2026.11.0\"", "version: \"2026.12.0\"");
        after.Edit("context.locale: { action: keep, class: non-phi, guard: locale }", "context.locale: drop");
        after.Edit(
            "      properties.zip: { action: generalize, method: zip3, derive: [in_service_area] }\n      properties.notes:\n        action: redact-text",
            "      properties.zip: { action: drop, derive: [in_service_area] }\n      properties.notes:\n        action: redact-text");
        after.Cut("  Pricing Page Viewed:", "  Comparison Page Viewed:");
        var loader = new PolicyLoader();
        var diff = PolicyDiff.Compare(loader.LoadOrThrow(RepoPaths.Policy("dental")), loader.LoadOrThrow(after.Directory));

        Assert.True(diff.HasChanges);
        Assert.Contains("version: 2026.11.0 → 2026.12.0", diff.Settings);
        Assert.Equal(["track:Pricing Page Viewed"], diff.RemovedEventTypes);

        var zip = Assert.Single(diff.FieldChanges, c => c.Path == "properties.zip");
        Assert.Equal("track:Appointment Requested", zip.EventType);
        Assert.Equal("changed", zip.Change);
        Assert.Equal(["action", "options"], zip.Aspects);
        Assert.Equal("generalize {method: \"zip3\"} derive [in_service_area]", zip.Before);
        Assert.Equal("drop derive [in_service_area]", zip.After);

        var locale = Assert.Single(diff.FieldChanges, c => c.Path == "context.locale");
        Assert.Equal(PolicyDiff.AllEventTypes, locale.EventType);

        var appointment = Assert.Single(diff.FixtureChanges, f => f.Fixture == "appointment-requested.fixture.json");
        Assert.Contains("output.properties.zip: \"021\" → (absent)", appointment.Differences);
        var pricing = Assert.Single(diff.FixtureChanges, f => f.Fixture == "pricing-page-viewed.fixture.json");
        Assert.Contains("outcome: \"forward\" → \"dropped\"", pricing.Differences);
    }

    private static int PolicyFixture(string folder) => Directory.GetFiles(Path.Combine(folder, "fixtures"), "*.fixture.json").Length;
}
