using Gateway.Compliance.Policies;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Destinations;

/// <summary><c>policy lint</c> on ad destinations: mappings that could reveal health information are refused.</summary>
public class AdDestinationLintTests
{
    private static IReadOnlyList<PolicyError> Lint(PolicyCopy copy) => new PolicyLoader().Load(copy.Directory).Errors;

    [Theory]
    [InlineData("dental")]
    [InlineData("healthcare")]
    [InlineData("digital-health")]
    public void ShippedAdDestinations_Lint_AndShipDisabled(string vertical)
    {
        using var copy = new PolicyCopy(vertical);
        var result = new PolicyLoader().Load(copy.Directory);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var ads = result.Policy!.Destinations.Where(d => d.Ads is not null).ToList();
        Assert.Equal(["meta", "google-ads"], ads.Select(d => d.Name));
        Assert.All(ads, d => Assert.False(d.Enabled));
        Assert.All(result.Policy.EventTypes, t => Assert.DoesNotContain(t.Destinations, d => d.Ads is not null));
    }

    [Fact]
    public void ACustomMetaEventName_IsRefused_SinceItCouldNameACondition()
    {
        using var copy = new PolicyCopy("dental");
        copy.Edit("      Appointment Requested: Schedule\n", "      Appointment Requested: ImplantConsultBooked\n");
        var error = Assert.Single(Lint(copy));
        Assert.Equal("destinations.meta.events.Appointment Requested", error.Path);
        Assert.Contains("not a Meta standard event", error.Message);
    }

    [Fact]
    public void AValueFromAFieldThatIsNotKeptAsNonPhi_IsRefused()
    {
        using var copy = new PolicyCopy("dental");
        copy.Edit("    actionSource: other\n", "    actionSource: other\n    value: { path: properties.notes, currency: USD }\n");
        Assert.Contains(Lint(copy), e => e.Path == "destinations.meta.value.path" && e.Message.Contains("may not forward a sensitive property"));
    }

    [Fact]
    public void AnAdDestinationWithoutTheAdvertisingPurpose_IsRefused()
    {
        using var copy = new PolicyCopy("dental");
        copy.Edit("    cluster: meta\n    purposes: [advertising]\n", "    cluster: meta\n    purposes: [analytics]\n");
        Assert.Contains(Lint(copy), e => e.Path == "destinations.meta.purposes");
    }

    [Fact]
    public void MetaWebsiteActionSource_IsRefused_BecauseItNeedsTheUserAgent()
    {
        using var copy = new PolicyCopy("dental");
        copy.Edit("    actionSource: other\n", "    actionSource: website\n");
        Assert.Contains(Lint(copy), e => e.Path == "destinations.meta.actionSource");
    }

    [Fact]
    public void AMappingOfAnEventThePolicyDoesNotList_IsRefused()
    {
        using var copy = new PolicyCopy("dental");
        copy.Edit("      Referral Submitted: Lead\n", "      Referral Submitted: Lead\n      Diagnosis Viewed: Lead\n");
        Assert.Contains(Lint(copy), e => e.Path == "destinations.meta.events.Diagnosis Viewed");
    }

    [Fact]
    public void IdentifiersFromFormProperties_AreRefused_SinceTheyMayBeAboutSomeoneElse()
    {
        using var copy = new PolicyCopy("dental");
        copy.Edit("      email: [context.traits.email, traits.email]\n", "      email: [properties.email, traits.email]\n");
        Assert.Contains(Lint(copy), e => e.Path.EndsWith(".identifiers", StringComparison.Ordinal) && e.Message.Contains("'properties.email'"));
    }
}
