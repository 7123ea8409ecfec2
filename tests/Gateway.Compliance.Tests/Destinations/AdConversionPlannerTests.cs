using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Destinations;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Destinations;

public class AdConversionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 42, 10, TimeSpan.Zero);

    private static (CompiledPolicy Policy, PracticeContext Practice) Dental(string mode = "deidentified")
    {
        using var copy = new PolicyCopy("dental");
        copy.Edit("enabled: false", "enabled: true");
        copy.Edit("    mode: deidentified\n", $"    mode: {mode}\n");
        var result = new PolicyLoader().Load(copy.Directory);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var practice = new PracticeContext("p1", "dental", new PseudonymKeyRing(new PseudonymKey("k1", Enumerable.Repeat((byte)1, 32).ToArray(), "p1")),
            domains: ["smile.example"], platforms: new Dictionary<string, PlatformAccount> { ["meta"] = new() { PixelId = "42" } });
        return (result.Policy!, practice);
    }

    private static string Appointment(DateTimeOffset at) => new JsonObject
    {
        ["type"] = "track",
        ["event"] = "Appointment Requested",
        ["messageId"] = "client-message-1",
        ["userId"] = "u-1",
        ["timestamp"] = at.ToString("O"),
        ["context"] = new JsonObject { ["page"] = new JsonObject { ["url"] = "https://smile.example/book?fbclid=AbC123" } },
        ["properties"] = new JsonObject { ["service_line"] = "implants", ["email"] = "maria@example.com", ["phone"] = "617-555-0187" },
    }.ToJsonString();

    /// <summary>The same event with the subject's own email and phone in <c>context.traits</c> (where identifiers are read).</summary>
    private static string WithTraits(string json)
    {
        var e = JsonNode.Parse(json)!.AsObject();
        e["context"]!["traits"] = new JsonObject { ["email"] = "maria@example.com", ["phone"] = "617-555-0187" };
        return e.ToJsonString();
    }

    private static ConsentState Granted(params string[] purposes) => new(purposes.Select((p, i) => new ConsentRecord
    {
        Id = i + 1, PracticeId = "p1", Subject = "s", Purpose = p, Decision = ConsentDecision.Granted, Source = "admin", RecordedAt = Now.AddDays(-1),
    }));

    private static (DestinationDecision Decision, JsonObject? Row) Plan(CompiledPolicy policy, PracticeContext practice, string json, ConsentState consent)
    {
        using var document = JsonDocument.Parse(json);
        var processor = new EventProcessor();
        processor.Reset(practice, DateOnly.FromDateTime(Now.UtcDateTime));
        var result = processor.Process(0, document.RootElement, null, policy);
        Assert.Equal(EventDisposition.Forward, result.Disposition);
        var meta = policy.Destinations.Single(d => d.Name == "meta");
        var (decision, row) = AdConversionPlanner.Plan(meta, result, document.RootElement, processor.OutputOf(result), consent, practice.Platforms["meta"], Now);
        return (decision, row is null ? null : JsonNode.Parse(row)!.AsObject());
    }

    [Fact]
    public void Deidentified_TruncatesTheTimeToTheDay_AndGivesEveryEventItsOwnUnlinkableId()
    {
        var (policy, practice) = Dental();
        var json = Appointment(Now.AddHours(-2));
        var (decision, first) = Plan(policy, practice, json, Granted("analytics", "advertising"));
        var (_, second) = Plan(policy, practice, json, Granted("analytics", "advertising"));
        Assert.Equal(DestinationDecision.Forward, decision.Outcome);
        Assert.Equal("deidentified", decision.Mode);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), (long)first!["event_time"]!);
        Assert.NotEqual((string?)first["user_data"]!["external_id"]![0], (string?)second!["user_data"]!["external_id"]![0]);
        Assert.Equal((string?)first["event_id"], (string?)second["event_id"]);
        Assert.NotEqual("client-message-1", (string?)first["event_id"]);
        Assert.DoesNotContain("AbC123", first.ToJsonString());
    }

    [Fact]
    public void AuthorizedMode_WithoutAnAuthorizationInForce_GivesTheDeidentifiedForm()
    {
        var (policy, practice) = Dental("authorized");
        var (decision, row) = Plan(policy, practice, Appointment(Now.AddHours(-2)), Granted("analytics", "advertising"));
        Assert.Equal("deidentified", decision.Mode);
        Assert.Null(row!["user_data"]!["em"]);

        var (authorized, full) = Plan(policy, practice, WithTraits(Appointment(Now.AddHours(-2))), Granted("analytics", "advertising", "hipaa_authorization"));
        Assert.Equal("authorized", authorized.Mode);
        Assert.Equal(AdIdentifierHashing.MetaEmail("maria@example.com"), (string?)full!["user_data"]!["em"]![0]);
        Assert.Equal(2, authorized.ConsentRecordIds.Count);
    }

    [Fact]
    public void AnAuthorizedSubject_WhoseEventHoldsNoIdentifier_GetsTheWholeDeidentifiedForm()
    {
        var (policy, practice) = Dental("authorized");
        var json = Appointment(Now.AddHours(-2)).Replace("?fbclid=AbC123", string.Empty, StringComparison.Ordinal);
        var (decision, row) = Plan(policy, practice, json, Granted("analytics", "advertising", "hipaa_authorization"));
        Assert.Equal("deidentified", decision.Mode);
        Assert.True(decision.Deidentified);
        Assert.NotEqual("client-message-1", (string?)row!["event_id"]);
        Assert.Equal(0, (long)row["event_time"]! % 86400);
        Assert.Equal("https://smile.example/", (string?)row["event_source_url"]);
        Assert.NotNull(row["user_data"]!["external_id"]);

        // Identifiers in form properties are never read: they may be about someone else.
        Assert.DoesNotContain(AdIdentifierHashing.MetaEmail("maria@example.com")!, row.ToJsonString());
    }

    [Fact]
    public void AnEventCloseToMetasSevenDayLimit_IsDropped_SinceItsTruncatedTimeMayPassTheLimitWhileQueued()
    {
        var (policy, practice) = Dental();
        var (decision, _) = Plan(policy, practice, Appointment(Now.AddDays(-6).AddHours(-2)), Granted("analytics", "advertising"));
        Assert.Equal(AdConversionPlanner.EventTooOld, decision.Reason);
        var (recent, _) = Plan(policy, practice, Appointment(Now.AddDays(-5)), Granted("analytics", "advertising"));
        Assert.Equal(DestinationDecision.Forward, recent.Outcome);
    }

    [Fact]
    public void AnEventOlderThanMetaTakes_IsDropped_WithTheReason()
    {
        var (policy, practice) = Dental();
        var (decision, row) = Plan(policy, practice, Appointment(Now.AddDays(-8)), Granted("analytics", "advertising"));
        Assert.Equal(DestinationDecision.Dropped, decision.Outcome);
        Assert.Equal(AdConversionPlanner.EventTooOld, decision.Reason);
        Assert.Null(row);
    }

    [Fact]
    public void APracticeWithoutAnAccount_SendsNothing()
    {
        var (policy, practice) = Dental();
        using var document = JsonDocument.Parse(Appointment(Now));
        var processor = new EventProcessor();
        processor.Reset(practice, DateOnly.FromDateTime(Now.UtcDateTime));
        var result = processor.Process(0, document.RootElement, null, policy);
        var (decision, row) = AdConversionPlanner.Plan(policy.Destinations.Single(d => d.Name == "meta"), result, document.RootElement, processor.OutputOf(result),
            Granted("analytics", "advertising"), account: null, Now);
        Assert.Equal(AdConversionPlanner.AccountMissing, decision.Reason);
        Assert.Null(row);
    }
}
