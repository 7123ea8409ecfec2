using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Analysis;
using Gateway.Compliance.Tests.TestSupport;
using Newtonsoft.Json.Linq;

namespace Gateway.Compliance.Tests.Policies.Analysis;

public class ForwardedFieldCatalogTests
{
    private static ForwardedFieldCatalog Shipped(string vertical) => ForwardedFieldCatalog.Of(new PolicyLoader().LoadOrThrow(RepoPaths.Policy(vertical)));

    [Fact]
    public void ABandedNumber_IsForwardedAsItsLabels_NeverAsANumber()
    {
        var minutes = Shipped("digital-health").Find("Webinar Attended", "properties.minutes_attended")!;

        Assert.Equal(["<5", "5-15", "15-30", "30-60", "60+"], minutes.Values);
        Assert.Equal(ValueKinds.String, minutes.Kinds);
        Assert.False(minutes.CanBeNumber);
        Assert.Equal("generalize: band, bounds [5, 15, 30, 60]", minutes.Origin);
    }

    [Fact]
    public void KeptFields_CarryTheSchemasEnumOrType()
    {
        var catalog = Shipped("dental");

        Assert.Equal(["routine", "soon", "emergency"], catalog.Find("Appointment Requested", "properties.urgency")!.Values);
        Assert.Equal(["routine", "soon", "urgent"], catalog.Find("Referral Submitted", "properties.urgency")!.Values);
        Assert.Equal((ValueKinds.Boolean, "keep, schema type boolean"), (catalog.Find("Appointment Requested", "properties.new_patient")!.Kinds, catalog.Find("Appointment Requested", "properties.new_patient")!.Origin));
        Assert.Null(catalog.Find("Appointment Requested", "properties.location_id")!.Values);
    }

    [Fact]
    public void UnionAcrossEvents_JoinsTheValuesOfEveryEventThatForwardsThePath()
    {
        var urgency = Shipped("dental").FindInAnyEvent("properties.urgency")!;

        Assert.Equal(["routine", "soon", "emergency", "urgent"], urgency.Values);
    }

    [Fact]
    public void DroppedFields_AreNotForwarded_TheirDerivedFeaturesAre()
    {
        var catalog = Shipped("dental");

        Assert.Null(catalog.Find("Appointment Requested", "properties.email"));
        Assert.Null(catalog.Find("Appointment Requested", "properties.date_of_birth"));
        Assert.Equal(["true", "false"], catalog.Find("Appointment Requested", "derived.email_valid")!.Values);
        Assert.Equal(["0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-89", "90+"], catalog.Find("Appointment Requested", "derived.age_band")!.Values);
        Assert.Equal("derived feature 'age_band' as 'patient_age_band'", catalog.Find("Referral Submitted", "derived.patient_age_band")!.Origin);
        Assert.Null(catalog.Find("Appointment Requested", "derived.patient_age_band"));
        Assert.Equal("generalize: zip3 (a 3-digit ZIP prefix)", catalog.Find("identify", "traits.address.postal_code")!.Origin);
    }

    [Fact]
    public void WildcardRules_ApplyToConcretePaths_UnlessAnExactRuleDropsThem()
    {
        using var folder = TestPolicyFolder.With(
            "      properties.tags.*: { action: keep, class: non-phi, values: [new, vip, t] }",
            "      properties.tags.*: { action: keep, class: non-phi, values: [new, vip, t] }\n      properties.meta.*: { action: keep, class: non-phi, guard: code }\n      properties.meta.source: drop");
        var catalog = ForwardedFieldCatalog.Of(folder.LoadValid());

        var sku = catalog.Find("Form Submitted", "properties.items.3.sku")!;
        Assert.Equal(["a1", "b2"], sku.Values);
        Assert.Null(catalog.Find("Form Submitted", "properties.meta.source"));
        Assert.Null(catalog.Find("Form Submitted", "properties.unknown"));
        Assert.Null(catalog.Find("No Such Event", "properties.topic"));
    }

    [Fact]
    public void Keep_WithValues_IsBoundByTheNamedSetOrTheInlineList_AndAGuardedKeepIsAnOpenString()
    {
        var sets = new Dictionary<string, IReadOnlyList<string>> { ["service_line"] = ["general", "hygiene", "implants"] };
        ForwardedValue Schema() => ForwardedValue.Open(ValueKinds.String, "schema type string");

        var named = RuleOutputs.Of("keep", null, JObject.Parse("{\"values\": \"service_line\"}"), Schema, sets)!;
        var inline = RuleOutputs.Of("keep", null, JObject.Parse("{\"values\": [\"a\", \"b\"]}"), Schema, sets)!;
        var guarded = RuleOutputs.Of("keep", null, JObject.Parse("{\"guard\": \"code\"}"), Schema, sets)!;

        Assert.Equal(["general", "hygiene", "implants"], named.Values);
        Assert.Equal("keep, values 'service_line'", named.Origin);
        Assert.Equal(["a", "b"], inline.Values);
        Assert.Equal((null, ValueKinds.String), (guarded.Values, guarded.Kinds));
        Assert.Null(RuleOutputs.Of("drop", null, null, Schema, sets));
        Assert.Equal(ValueKinds.Number, RuleOutputs.Of("generalize", "year", null, Schema, sets)!.Kinds);
    }
}
