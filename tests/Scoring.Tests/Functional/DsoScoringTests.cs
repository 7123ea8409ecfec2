using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Scoring.Engine.Scoring;
using static Scoring.Tests.Functional.Batches;

namespace Scoring.Tests.Functional;

/// <summary>
/// The issue's scenarios through the real service (each starts its own, on SQLite and PostgreSQL): late events,
/// a person's recycle, urgent referrals, office-hour SLAs, the threshold edge, filters by location, unreachable leads,
/// a DSO's locations and the funnel by service line, location and lead type.
/// </summary>
public sealed class DsoScoringTests
{
    private static readonly DateTimeOffset s_t0 = ScoringServiceFactory.Start; // Monday 2026-11-23 09:00 New York

    /// <summary>Fit 26 (in network 8, new patient 8, in the service area 10), reachable by e-mail.</summary>
    private static object Profile(string user, DateTimeOffset at) =>
        Identify($"{user}-i", user, null, at, new { insurance_status = "in_network", patient_status = "new" }, new { in_service_area = true, email_valid = true });

    private static IEnumerable<(string To, DateTimeOffset At)> History(JsonObject lead) =>
        lead["transitions"]!.AsArray().Select(t => ((string)t!["to"]!, (DateTimeOffset)t["at"]!));

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task LateEvents_AreEvaluatedAtTheirOwnTime_AnMqlThatLapsedInTheGapIsRecorded(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();
        await factory.PostBatchAsync(Dental(s_t0, Profile("dd1:late", s_t0)));

        // 300 days later an offline queue delivers an appointment request made on day 100 (71 > 60 then). It lapsed
        // when 45 x 0.75^q fell below 34.005: 7,682,975.114 s later. Both happened before anyone looked again.
        factory.Time.Advance(TimeSpan.FromDays(300));
        await client.GetStringAsync(Lead("dd1:late"));
        var day100 = s_t0.AddDays(100);
        await factory.PostBatchAsync(Dental(day100, Track("dd1:late-a", "dd1:late", "Appointment Requested", day100, new { location_id = "back-bay" })));

        var lead = (await client.GetFromJsonAsync<JsonObject>(Lead("dd1:late")))!;

        Assert.Equal([("lead", s_t0), ("mql", day100), ("recycled", day100 + TimeSpan.FromMilliseconds(7_682_975_114))], History(lead));
        var funnel = (await client.GetFromJsonAsync<JsonObject>("/api/funnel?vertical=dental&from=2026-11-01&to=2026-12-01"))!;
        Assert.Equal((1, 2400d), ((int)funnel["total"]!["mqls"]!, (double)funnel["total"]!["timeToMql"]!["medianHours"]!));
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task APersonsRecycle_IsNotUndone_ByAOnePointPageView_OnlyByNewIntent(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();
        await factory.PostBatchAsync(Dental(s_t0, Profile("dd1:rc", s_t0), Track("dd1:rc-a", "dd1:rc", "Appointment Requested", s_t0)));
        factory.Time.Advance(TimeSpan.FromHours(1));
        await client.PostAsJsonAsync(Lead("dd1:rc") + "/recycle", new { reason = "no_response", actor = "fd-7" });

        var pageAt = factory.Time.GetUtcNow().AddMilliseconds(12);
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        await factory.PostBatchAsync(Dental(pageAt, Page("dd1:rc-p", "dd1:rc", pageAt)));
        var afterPage = (await client.GetFromJsonAsync<JsonObject>(Lead("dd1:rc")))!;

        Assert.Equal("recycled", (string?)afterPage["stage"]);
        Assert.StartsWith("Recycled by a person (recycled by a person: no_response; fd-7,", (string?)afterPage["why"], StringComparison.Ordinal);

        // A new appointment request is new intent: fit 26 + 45 (+ the page, 1 decayed a second) exceeds 60.
        var requestAt = factory.Time.GetUtcNow();
        await factory.PostBatchAsync(Dental(requestAt, Track("dd1:rc-b", "dd1:rc", "Appointment Requested", requestAt)));
        var back = (await client.GetFromJsonAsync<JsonObject>(Lead("dd1:rc")))!;

        var last = back["transitions"]!.AsArray().Last()!;
        Assert.Equal(("recycled", "mql"), ((string?)last["from"], (string?)last["to"]));
        Assert.StartsWith("re-qualified after a person recycled it: fit 26 + new intent 46 = 72 exceeds 60", (string?)last["reason"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task AnUrgentReferral_GoesToTheEmergencyLine_RoundTheClock(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);

        // Friday 22:00 New York (Saturday 03:00 UTC). Fit implants 15 + in area 10 + valid phone 3 = 28; referral
        // 30 x 1.25 = 37.5: 65.5 exceeds 60. "urgent" (a referral's word) escalates like "emergency", and the
        // emergency line answers within 1h even at night.
        var friday = new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
        factory.Time.SetUtcNow(friday);
        await factory.PostBatchAsync(Dental(friday, Track("dd1:ur-r", "dd1:ur", "Referral Submitted", friday,
            new { referral_source = "provider", urgency = "urgent", service_line = "implants" }, new { patient_phone_valid = true, in_service_area = true })));

        var lead = (await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:ur")))!;

        Assert.Equal(("mql", "emergency-line", friday.AddHours(1)), ((string?)lead["stage"], (string?)lead["handoff"]!["queue"], (DateTimeOffset)lead["handoff"]!["dueAt"]!));
        Assert.Equal("referral", (string?)lead["leadType"]);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task AFridayNightLead_IsDueInOfficeHours_NotOnSaturdayMorning(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var friday = new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero); // Friday 22:00 New York
        factory.Time.SetUtcNow(friday);
        await factory.PostBatchAsync(Dental(friday, Profile("dd1:fr", friday), Track("dd1:fr-a", "dd1:fr", "Appointment Requested", friday)));

        var lead = (await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:fr")))!;

        // scheduling 4h in dental's default office hours (Mon-Fri 08-17 New York): Monday 12:00 New York (17:00 UTC),
        // not Saturday 02:00.
        Assert.Equal(("scheduling", "4h", new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero)),
            ((string?)lead["handoff"]!["queue"], (string?)lead["handoff"]!["sla"], (DateTimeOffset)lead["handoff"]!["dueAt"]!));
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task AScoreExactlyAtTheThreshold_IsNotAnMql_NorCountedInTheFunnel(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();

        // Fit 8 + 8 + 10 + age 25-34 4 + valid phone 3 = 33; pricing 15 + comparison 12 = 27. Score 60 exactly.
        await factory.PostBatchAsync(Dental(s_t0,
            Identify("dd1:edge-i", "dd1:edge", null, s_t0, new { insurance_status = "in_network", patient_status = "new" }, new { in_service_area = true, age_band = "25-34", phone_valid = true }),
            Track("dd1:edge-p", "dd1:edge", "Pricing Page Viewed", s_t0),
            Track("dd1:edge-c", "dd1:edge", "Comparison Page Viewed", s_t0)));

        var lead = (await client.GetFromJsonAsync<JsonObject>(Lead("dd1:edge")))!;
        var funnel = (await client.GetFromJsonAsync<JsonObject>("/api/funnel?vertical=dental&from=2026-11-01&to=2026-12-01"))!;

        Assert.Equal((60d, "lead"), ((double)lead["score"]!["total"]!, (string?)lead["stage"]));
        Assert.Equal("Lead: score 60 (fit 33 + intent 27) does not exceed the threshold 60 and no direct rule holds.", (string?)lead["why"]);
        Assert.Equal(["lead"], lead["transitions"]!.AsArray().Select(t => (string)t!["to"]!));
        Assert.Equal(0, (int)funnel["total"]!["mqls"]!);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task ListingByLocation_IncludesLeadsWithoutAHandoff_AndAnUnreachableLeadIsNotRouted(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();

        // A browsing lead at back-bay (below the threshold, no hand-off), and a strong lead nobody can reach.
        await factory.PostBatchAsync(Dental(s_t0, Track("dd1:loc-s", "dd1:browser", "Service Page Viewed", s_t0, new { service_line = "hygiene", location_id = "back-bay" })));
        await factory.PostBatchAsync(Dental(s_t0,
            Identify("dd1:nr-i", "dd1:unreachable", null, s_t0, new { insurance_status = "in_network", patient_status = "new" }, new { in_service_area = true, email_valid = false, phone_valid = false }),
            Track("dd1:nr-a", "dd1:unreachable", "Appointment Requested", s_t0, new { location_id = "back-bay" })));

        var atBackBay = (await client.GetFromJsonAsync<JsonObject>("/api/leads?location=back-bay"))!;
        var hygiene = (await client.GetFromJsonAsync<JsonObject>("/api/leads?serviceLine=hygiene"))!;
        var unreachable = (await client.GetFromJsonAsync<JsonObject>(Lead("dd1:unreachable")))!;

        Assert.Equal(["dd1:browser", "dd1:unreachable"], atBackBay["leads"]!.AsArray().Select(l => (string)l!["subject"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["dd1:browser"], hygiene["leads"]!.AsArray().Select(l => (string)l!["subject"]!));
        Assert.Equal(("lead", null), ((string?)unreachable["stage"], unreachable["handoff"]));
        Assert.EndsWith("would qualify, but nobody can reach the lead (needs email_valid = true or phone_valid = true or reply_channel in [sms, email, phone]).", (string?)unreachable["why"], StringComparison.Ordinal);

        // A valid phone number arrives an hour later: an MQL from then, routed.
        var later = s_t0.AddHours(1);
        factory.Time.SetUtcNow(later);
        await factory.PostBatchAsync(Dental(later, Identify("dd1:nr-j", "dd1:unreachable", null, later, new { patient_status = "new" }, new { phone_valid = true })));
        unreachable = (await client.GetFromJsonAsync<JsonObject>(Lead("dd1:unreachable")))!;
        Assert.Equal(("mql", later), ((string?)unreachable["stage"], (DateTimeOffset)unreachable["stageSince"]!));
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task ADsosLeads_GoToTheirLocationsQueues_AndTheFunnelGroupsByServiceLineLocationAndLeadType(string backend)
    {
        using var factory = new ScoringServiceFactory(backend);
        var client = factory.ApiClientWithKey();
        const string Dso = "harborview-dental";

        // Monday 21:30 UTC: 16:30 in Boston, 13:30 in Seattle.
        var at = new DateTimeOffset(2026, 11, 23, 21, 30, 0, TimeSpan.Zero);
        factory.Time.SetUtcNow(at);
        await factory.PostBatchAsync(Dental(Dso, at,
            Profile("hv1:boston", at), Track("hv1:b-a", "hv1:boston", "Appointment Requested", at, new { location_id = "back-bay", service_line = "general" }),
            Profile("hv1:seattle", at), Track("hv1:s-a", "hv1:seattle", "Appointment Requested", at, new { zip = "981", service_line = "implants" }),
            Track("hv1:r", "hv1:referred", "Referral Submitted", at, new { referral_source = "provider", service_line = "hygiene", location_id = "chicago-loop" }, new { patient_phone_valid = true })));
        factory.Time.Advance(TimeSpan.FromMinutes(30));
        await client.PostAsJsonAsync($"/api/leads/{Dso}/{Uri.EscapeDataString("hv1:boston")}/sql", new { criteria = new[] { "appointment_booked" }, actor = "fd-1" });

        var boston = (await client.GetFromJsonAsync<JsonObject>($"/api/leads/{Dso}/{Uri.EscapeDataString("hv1:boston")}"))!;
        var seattle = (await client.GetFromJsonAsync<JsonObject>($"/api/leads/{Dso}/{Uri.EscapeDataString("hv1:seattle")}"))!;

        // Back Bay closes 18:00: the practice's 2h scheduling SLA runs 1.5 h today and 0.5 h from 07:30 Tuesday.
        Assert.Equal(("back-bay/scheduling", new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero)),
            ((string?)boston["handoff"]!["queue"], (DateTimeOffset)boston["handoff"]!["dueAt"]!));

        // ZIP3 981 is Seattle's area; implants need 65 there (the service line's threshold) and get 2h: 15:30 Seattle.
        Assert.Equal(("seattle/treatment-coordinator", "seattle", 65d, new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero)),
            ((string?)seattle["handoff"]!["queue"], (string?)seattle["location"], (double)seattle["score"]!["threshold"]!, (DateTimeOffset)seattle["handoff"]!["dueAt"]!));

        var byLocation = (await client.GetFromJsonAsync<JsonObject>($"/api/funnel?practice={Dso}&groupBy=location&from=2026-11-01&to=2026-12-01"))!;
        var byLine = (await client.GetFromJsonAsync<JsonObject>($"/api/funnel?practice={Dso}&groupBy=serviceLine&from=2026-11-01&to=2026-12-01"))!;
        var byType = (await client.GetFromJsonAsync<JsonObject>($"/api/funnel?practice={Dso}&groupBy=leadType&from=2026-11-01&to=2026-12-01"))!;

        static IEnumerable<(string, int, int, int)> Rows(JsonObject report) =>
            report["rows"]!.AsArray().Select(r => ((string)r!["channel"]!, (int)r["leads"]!, (int)r["mqls"]!, (int)r["sqls"]!));
        Assert.Equal([("back-bay", 1, 1, 1), ("chicago-loop", 1, 0, 0), ("seattle", 1, 1, 0)], Rows(byLocation));
        Assert.Equal([("general", 1, 1, 1), ("hygiene", 1, 0, 0), ("implants", 1, 1, 0)], Rows(byLine));
        Assert.Equal([("patient", 2, 2, 1), ("referral", 1, 0, 0)], Rows(byType));
        Assert.Equal((0.5, 0.5), ((double)byLine["total"]!["mqlToSql"]!, (double)byLine["total"]!["mqlToSqlTime"]!["medianHours"]!));
    }
}
