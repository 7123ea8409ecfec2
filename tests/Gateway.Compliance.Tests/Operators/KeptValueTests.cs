using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Operators;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Tests.TestSupport;
using Gateway.Testing;

namespace Gateway.Compliance.Tests.Operators;

/// <summary>A kept value goes only if its rule allows it (value set or guard); otherwise it alone is dropped, and audited by rule.</summary>
public class KeptValueTests : IDisposable
{
    private static readonly PolicyAllowLists s_dental = new PolicyLoader().LoadOrThrow(RepoPaths.Policy("dental")).AllowLists;

    private readonly TestPolicyFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AValueOutsideItsSet_IsDropped_TheRestForwarded_AndTheAuditNamesTheRuleNotTheValue()
    {
        var (result, output, audit) = Engine.Run(_folder.LoadValid(),
            """{"type":"track","event":"Form Submitted","userId":"u","properties":{"topic":"eleanor_vasquez","tags":["new","jane"],"notes":"hi"}}""");
        Assert.Equal(Gateway.Compliance.Processing.EventDisposition.Forward, result.Disposition);
        var properties = output!["properties"]!.AsObject();
        Assert.False(properties.ContainsKey("topic"));
        Assert.Equal("""["new"]""", properties["tags"]!.ToJsonString());
        Assert.Equal("hi", (string?)properties["notes"]);
        Assert.Equal("""["properties.topic","properties.tags.*"]""", audit["fields"]!["refused"]!.ToJsonString());
        Assert.Equal("""{"properties.tags.*":["values"],"properties.topic":["values:topic"]}""", audit["refusedBy"]!.ToJsonString());
        Assert.DoesNotContain("eleanor", audit.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("jane", audit.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AListedValue_IsWrittenAsListed_WhateverCaseOrSeparatorTheClientUsed()
    {
        var (_, output, _) = Engine.Run(_folder.LoadValid(), """{"type":"identify","userId":"u","traits":{"plan":"GOLD","address":{"state":"il"}}}""");
        Assert.Equal("gold", (string?)output!["traits"]!["plan"]);
        Assert.Equal("IL", (string?)output["traits"]!["address"]!["state"]);
    }

    [Fact]
    public void APracticesOwnValues_ExtendTheSetItsPolicyDeclares()
    {
        var policy = new PolicyLoader().LoadOrThrow(RepoPaths.Policy("dental"));
        var json = """{"type":"track","event":"Service Page Viewed","userId":"u","properties":{"service_line":"implants","location_id":"Harvard-Square"}}""";
        var withLocation = FixturePractice.Create("dental", values: new Dictionary<string, IReadOnlyList<string>> { ["location"] = ["harvard_square"] });
        var (_, kept, _) = Engine.Run(policy, json, withLocation);
        Assert.Equal("harvard_square", (string?)kept!["properties"]!["location_id"]);

        var (_, dropped, audit) = Engine.Run(policy, json, FixturePractice.Create("dental", values: new Dictionary<string, IReadOnlyList<string>>()));
        Assert.False(dropped!["properties"]!.AsObject().ContainsKey("location_id"));
        Assert.Contains("values:location", audit["refusedBy"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("code", "spring-implants-2026", true)]
    [InlineData("code", "implant_consult", true)]
    [InlineData("code", "recall-nov", true)]
    [InlineData("code", "WELCOME50", true)]
    [InlineData("code", "eleanor-vasquez", false)]
    [InlineData("code", "grace-white", false)]
    [InlineData("code", "rose", false)]
    [InlineData("code", "617-555-0134", false)]
    [InlineData("code", "1971-04-09", false)]
    [InlineData("code", "02139", false)]
    [InlineData("code", "4103", false)]
    [InlineData("code", "0372 mu", false)]
    [InlineData("code", "wolf-court", false)]
    [InlineData("code", "jane@example.com", false)]
    [InlineData("code", "newneighbor", false)]
    [InlineData("text", "Implant consultation", true)]
    [InlineData("text", "Implant consultation for Rose Hunter", false)]
    [InlineData("text", "Nice", false)]
    [InlineData("version", "1.72.0", true)]
    [InlineData("version", "next-1.72.0", true)]
    [InlineData("version", "2.0.0-rc.1", true)]
    [InlineData("version", "7119", false)]
    [InlineData("version", "21-986", false)]
    [InlineData("version", "33.132.248.148", false)]
    [InlineData("version", "123.45.6789", false)]
    [InlineData("version", "1971.04.09", false)]
    [InlineData("version", "jane-1.0", false)]
    [InlineData("locale", "en-US", true)]
    [InlineData("locale", "zh-Hant-TW", true)]
    [InlineData("locale", "th-o-nhi-ng", false)]
    [InlineData("locale", "jane", false)]
    [InlineData("country", "US", true)]
    [InlineData("country", "Germany", true)]
    [InlineData("country", "Springfield", false)]
    public void Guards_AdmitOnlyValuesThatCannotCarryAnIdentifier(string guard, string value, bool accepted)
    {
        Assert.True(ValueGuard.TryGet(guard, out var g));
        Assert.Equal(accepted, g.Accepts(value, s_dental));
    }

    [Fact]
    public void GuardedValues_AreForwardedNormalized_SoInvisibleCharactersCarryNothing()
    {
        var policy = new PolicyLoader().LoadOrThrow(RepoPaths.Policy("dental"));
        var (_, output, _) = Engine.Run(policy,
            """{"type":"track","event":"Appointment Requested","userId":"u","context":{"campaign":{"name":"spring\u200b_implants"}},"properties":{"service_line":"implants"}}""",
            FixturePractice.Create("dental"));
        Assert.Equal("spring_implants", (string?)output!["context"]!["campaign"]!["name"]);
    }
}
