using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Scoring.Engine.Scoring;
using static Scoring.Tests.Functional.Batches;

namespace Scoring.Tests.Functional;

/// <summary>Each test starts its own service: they move the clock.</summary>
public sealed class LeadsApiTests
{
    private static readonly DateTimeOffset s_t0 = ScoringServiceFactory.Start;

    /// <summary>
    /// Fit 26: in network 8 + new patient 8 + in the service area 10; a valid email (reachable). Intent: an appointment request without a
    /// service line, 45. Score 71 at t0: MQL (no direct rule: no service line, no urgency), routed to scheduling (4h).
    /// It stops exceeding 60 (as shown, two decimals) when 45 x 0.75^q &lt; 34.005: q &gt; ln(34.005/45) / ln(0.75) = 0.9738352 quarters
    /// = 7,682,975.1137 s, so at t0 + 7,682,975.114 s (first whole millisecond after).
    /// </summary>
    private static object SchedulingLead(string user, DateTimeOffset at) => Dental(
        at,
        Identify($"dd1:i-{user}", user, null, at, new { insurance_status = "in_network", patient_status = "new" }, new { in_service_area = true, email_valid = true }),
        Track($"dd1:a-{user}", user, "Appointment Requested", at, new { location_id = "back-bay" }, campaign: new { name = "fall", source = "facebook", medium = "paid_social" }));

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task Breakdown_ExplainsFitIntentThresholdStageAndWhy(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        await factory.PostBatchAsync(SchedulingLead("dd1:u-b", s_t0));

        var lead = await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:u-b"));

        Assert.Equal("MQL: score 71 (fit 26 + intent 45) exceeds the threshold 60.", (string?)lead!["why"]);
        Assert.Equal(
            [("service_line", null, 0d, "missing"), ("in_service_area", "true", 10, "matched"), ("insurance_status", "in_network", 8, "matched"),
             ("patient_type", "new", 8, "matched"), ("age_band", null, 0, "missing"), ("phone_valid", null, 0, "missing")],
            lead["fit"]!.AsArray().Select(f => ((string)f!["attribute"]!, (string?)f["value"], (double)f["points"]!, (string)f["basis"]!)));
        var intent = Assert.Single(lead["intent"]!.AsArray())!;
        Assert.Equal(("Appointment Requested", 45d, 1d, 45d, 1d), ((string)intent["event"]!, (double)intent["basePoints"]!, (double)intent["multiplier"]!, (double)intent["points"]!, (double)intent["decayFactor"]!));
        Assert.Equal(60, (double)lead["score"]!["threshold"]!);
        Assert.Equal(["lead", "mql"], lead["transitions"]!.AsArray().Select(t => (string)t!["to"]!));
        Assert.Equal(["Appointment Requested on 2026-11-23: 45 points"], lead["handoff"]!["topSignals"]!.AsArray().Select(s => (string)s!));
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task AfterOneQuarterOfInactivity_TheMqlIsRecycled_AtTheExactTimeItFellBelow(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        await factory.PostBatchAsync(SchedulingLead("dd1:u-d", s_t0));

        factory.Time.Advance(Decay.Quarter);
        var lead = await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:u-d"));

        // One quarter later: 26 + 45 x 0.75 = 26 + 33.75 = 59.75 < 60.
        Assert.Equal(59.75, (double)lead!["score"]!["total"]!);
        Assert.Equal("recycled", (string?)lead["stage"]);
        Assert.Equal(1, (double)lead["decay"]!["quartersSinceLastEngagement"]!);
        var recycled = lead["transitions"]!.AsArray().Last()!;
        Assert.Equal(s_t0 + TimeSpan.FromMilliseconds(7_682_975_114), (DateTimeOffset)recycled["at"]!);
        Assert.Null(lead["handoff"]);

        // Two quarters: 26 + 45 x 0.5625 = 51.3125 → 51.31.
        factory.Time.Advance(Decay.Quarter);
        lead = await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:u-d"));
        Assert.Equal(51.31, (double)lead!["score"]!["total"]!);
        Assert.Equal(3, lead["transitions"]!.AsArray().Count);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task PeopleMoveLeads_ThroughSqlToAppointment_WithCriteriaActorAndClient(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();
        await factory.PostBatchAsync(SchedulingLead("dd1:u-s", s_t0));
        factory.Time.Advance(TimeSpan.FromHours(1));

        using var tooFew = await client.PostAsJsonAsync(Lead("dd1:u-s") + "/sql", new { criteria = new[] { "need_confirmed" }, actor = "fd-7" });
        using var early = await client.PostAsJsonAsync(Lead("dd1:u-s") + "/appointment", new { actor = "fd-7" });
        using var sql = await client.PostAsJsonAsync(Lead("dd1:u-s") + "/sql", new { criteria = new[] { "need_confirmed", "insurance_verified" }, actor = "fd-7" });
        using var opportunity = await client.PostAsJsonAsync(Lead("dd1:u-s") + "/opportunity", new { actor = "fd-7" });
        using var booked = await client.PostAsJsonAsync(Lead("dd1:u-s") + "/appointment", new { actor = "fd-7" });

        Assert.Equal(HttpStatusCode.BadRequest, tooFew.StatusCode);
        Assert.Equal("1 criteria confirmed; an SQL needs at least 2, or one of: appointment_booked", (string?)(await tooFew.Content.ReadFromJsonAsync<JsonObject>())!["detail"]);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sql.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, opportunity.StatusCode);
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);

        var lead = await booked.Content.ReadFromJsonAsync<JsonObject>();
        var history = lead!["transitions"]!.AsArray().Select(t => ((string?)t!["from"], (string)t["to"]!, (string)t["actor"]!, (string?)t["client"])).ToList();
        Assert.Equal([(null, "lead", "system", null), ("lead", "mql", "system", null), ("mql", "sql", "fd-7", "tests"), ("sql", "appointment", "fd-7", "tests")], history);
        Assert.Equal(["need_confirmed", "insurance_verified"], lead["transitions"]![2]!["criteria"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("appointment", (string?)lead["stage"]);

        // A person's stage is not undone by decay.
        factory.Time.Advance(4 * Decay.Quarter);
        lead = await client.GetFromJsonAsync<JsonObject>(Lead("dd1:u-s"));
        Assert.Equal("appointment", (string?)lead!["stage"]);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task Disqualify_NeedsAReasonCode_AndRejectsInvalidActors(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();
        await factory.PostBatchAsync(SchedulingLead("dd1:u-q", s_t0));

        using var noActor = await client.PostAsJsonAsync(Lead("dd1:u-q") + "/disqualify", new { reason = "spam_or_test" });
        using var unknown = await client.PostAsJsonAsync(Lead("dd1:u-q") + "/disqualify", new { reason = "rude", actor = "fd-7" });
        using var done = await client.PostAsJsonAsync(Lead("dd1:u-q") + "/disqualify", new { reason = "spam_or_test", actor = "fd-7" });
        using var missing = await client.PostAsJsonAsync(Lead("dd1:nobody") + "/disqualify", new { reason = "spam_or_test", actor = "fd-7" });

        Assert.Equal(HttpStatusCode.BadRequest, noActor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("disqualified", (string?)(await done.Content.ReadFromJsonAsync<JsonObject>())!["stage"]);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task Lists_ByStageAndQueue_AndShowsOverdueMqls(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();
        await factory.PostBatchAsync(SchedulingLead("dd1:u-l1", s_t0));
        await factory.PostBatchAsync(Dental(s_t0, ImplantRequest("dd1:m-l2", "dd1:u-l2", s_t0)));
        await factory.PostBatchAsync(Dental(s_t0, Track("dd1:m-l3", "dd1:u-l3", "Service Page Viewed", s_t0, new { service_line = "hygiene" })));

        var mqls = await client.GetFromJsonAsync<JsonObject>("/api/leads?stage=mql&vertical=dental");
        var scheduling = await client.GetFromJsonAsync<JsonObject>("/api/leads?queue=scheduling");
        using var badStage = await client.GetAsync("/api/leads?stage=hot");

        Assert.Equal(["dd1:u-l1", "dd1:u-l2"], mqls!["leads"]!.AsArray().Select(l => (string)l!["subject"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["dd1:u-l1"], scheduling!["leads"]!.AsArray().Select(l => (string)l!["subject"]!));
        Assert.Equal(HttpStatusCode.BadRequest, badStage.StatusCode);

        // Both queues have a 4h SLA. After 5 hours both MQLs are an hour overdue.
        factory.Time.Advance(TimeSpan.FromHours(5));
        var overdue = await client.GetFromJsonAsync<JsonObject>("/api/mql/overdue?practice=demo-dental");
        var items = overdue!["leads"]!.AsArray().Select(l => ((string)l!["subject"]!, (string)l["queue"]!, (double)l["overdueMinutes"]!, (string?)l["serviceInterest"])).OrderBy(i => i.Item1).ToList();

        Assert.Equal([("dd1:u-l1", "scheduling", 60d, null), ("dd1:u-l2", "treatment-coordinator", 60d, "implants")], items);

        // After an SQL the lead is no longer overdue.
        await client.PostAsJsonAsync(Lead("dd1:u-l2") + "/sql", new { criteria = new[] { "appointment_booked" }, actor = "fd-7" });
        overdue = await client.GetFromJsonAsync<JsonObject>("/api/mql/overdue");
        Assert.Equal(["dd1:u-l1"], overdue!["leads"]!.AsArray().Select(l => (string)l!["subject"]!));
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task Funnel_CountsConversionsAndTimes_ByChannel(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();
        await factory.PostBatchAsync(SchedulingLead("dd1:u-f1", s_t0));
        await factory.PostBatchAsync(Dental(s_t0, ImplantRequest("dd1:m-f2", "dd1:u-f2", s_t0)));
        await factory.PostBatchAsync(Dental(s_t0, Track("dd1:m-f3", "dd1:u-f3", "Service Page Viewed", s_t0, campaign: new { name = "spring_implants", source = "google", medium = "cpc" })));
        factory.Time.Advance(TimeSpan.FromHours(3));
        await client.PostAsJsonAsync(Lead("dd1:u-f2") + "/sql", new { criteria = new[] { "appointment_booked" }, actor = "fd-7" });

        var report = await client.GetFromJsonAsync<JsonObject>("/api/funnel?vertical=dental&groupBy=source&from=2026-11-01&to=2026-12-01");

        // google: 2 leads, 1 MQL (at once), 1 SQL (after 3h). facebook: 1 lead, 1 MQL.
        var rows = report!["rows"]!.AsArray().Select(r => ((string)r!["channel"]!, (int)r["leads"]!, (int)r["mqls"]!, (int)r["sqls"]!, (double?)r["leadToMql"])).ToList();
        Assert.Equal([("facebook", 1, 1, 0, 1d), ("google", 2, 1, 1, 0.5)], rows);
        Assert.Equal(3, (double)report["total"]!["timeToSql"]!["medianHours"]!);
        Assert.Equal(0, (double)report["total"]!["timeToMql"]!["meanHours"]!);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task AnonymousBrowsing_JoinsTheLead_WhenThePersonIdentifies(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        await factory.PostBatchAsync(Dental(s_t0, Page("dd1:p1", "dd1:anon-1", s_t0), Page("dd1:p2", "dd1:anon-1", s_t0.AddMinutes(1))));
        await factory.PostBatchAsync(Dental(s_t0.AddMinutes(5), Identify("dd1:i-1", "dd1:user-1", "dd1:anon-1", s_t0.AddMinutes(5), new { patient_status = "new" })));

        var byAnonymous = await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:anon-1"));

        // The two page views (1 point each) and the identify (new patient, fit 8) are one lead, created at the first page view.
        Assert.Equal("dd1:user-1", (string?)byAnonymous!["subject"]);
        Assert.Equal(2, (double)byAnonymous["score"]!["intent"]!, 3);
        Assert.Equal(8, (double)byAnonymous["score"]!["fit"]!);
        Assert.Equal(s_t0, (DateTimeOffset)byAnonymous["transitions"]![0]!["at"]!);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task LeadsApi_RequiresAnApiKey(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        using var none = await factory.CreateClient().GetAsync("/api/leads");
        var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "nope");
        using var bad = await wrong.GetAsync("/api/funnel");
        using var overdue = await factory.CreateClient().GetAsync("/api/mql/overdue");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], new[] { none.StatusCode, bad.StatusCode, overdue.StatusCode });
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task Health_IsAnonymous(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);

        Assert.Equal("live", JsonNode.Parse(await factory.CreateClient().GetStringAsync("/health/live"))!["status"]!.GetValue<string>());
        var ready = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/health/ready"))!;
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.True(ready["checks"]!["store"]!["ready"]!.GetValue<bool>());
    }
}
