using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Scoring.Tests.Functional.Batches;

namespace Scoring.Tests.Functional;

public sealed class IngestApiTests : IClassFixture<ScoringServicePerBackend>
{
    private static readonly DateTimeOffset s_at = ScoringServiceFactory.Start;
    private readonly ScoringServicePerBackend _services;

    public IngestApiTests(ScoringServicePerBackend services)
    {
        _services = services;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Rejects_MissingOrWrongToken(string? token)
    {
        var factory = _services.For(ScoringBackends.Sqlite);
        using var response = await factory.PostBatchAsync(Dental(s_at, ImplantRequest("dd1:m-401", "dd1:u-401", s_at)), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task Accepts_ABatch_AndScoresTheLead(string backend)
    {
        var factory = _services.For(backend);
        using var response = await factory.PostBatchAsync(Dental(s_at, ImplantRequest("dd1:m-1", "dd1:u-1", s_at)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"accepted":1,"duplicates":0}""", await response.Content.ReadAsStringAsync());

        var lead = await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:u-1"));

        // Fit: implants 15 + in area 10 + in network 8 + new patient 8 + age 45-54 8 + valid phone 3 = 52.
        // Intent: appointment request 45 x 1.25 (names a service line) = 56.25. Score 108.25 >= 60: MQL at once.
        Assert.Equal("mql", (string?)lead!["stage"]);
        Assert.Equal(108.25, (double)lead["score"]!["total"]!);
        Assert.Equal(52, (double)lead["score"]!["fit"]!);
        Assert.Equal(56.25, (double)lead["score"]!["intent"]!);
        Assert.Equal("treatment-coordinator", (string?)lead["handoff"]!["queue"]);
        Assert.Equal(s_at.AddHours(4), (DateTimeOffset)lead["handoff"]!["dueAt"]!);
        Assert.Equal("back-bay", (string?)lead["handoff"]!["location"]);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task ReplayedBatch_CountsDuplicates_AndChangesNothing(string backend)
    {
        var factory = _services.For(backend);
        var batch = Dental(s_at, ImplantRequest("dd1:m-r1", "dd1:u-r", s_at), Track("dd1:m-r2", "dd1:u-r", "Pricing Page Viewed", s_at, new { service_line = "implants" }));
        using var first = await factory.PostBatchAsync(batch);
        var before = await factory.ApiClientWithKey().GetStringAsync(Lead("dd1:u-r"));

        using var replay = await factory.PostBatchAsync(batch);
        var after = await factory.ApiClientWithKey().GetStringAsync(Lead("dd1:u-r"));

        Assert.Equal("""{"accepted":2,"duplicates":0}""", await first.Content.ReadAsStringAsync());
        Assert.Equal("""{"accepted":0,"duplicates":2}""", await replay.Content.ReadAsStringAsync());
        Assert.Equal(before, after);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task ConcurrentRetries_StoreEachEventOnce(string backend)
    {
        var factory = _services.For(backend);
        var batch = Dental(s_at, Enumerable.Range(0, 20).Select(i => Track($"dd1:m-c{i}", "dd1:u-c", "Service Page Viewed", s_at, new { service_line = "implants" })).ToArray());

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => factory.PostBatchAsync(batch)));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonObject>()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(20, bodies.Sum(b => (int)b!["accepted"]!));
        Assert.Equal(60, bodies.Sum(b => (int)b!["duplicates"]!));
        var lead = await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:u-c"));

        // 20 service page views, of which maxCount 5 count: 5 x 3 x 1.25 = 18.75.
        Assert.Equal(18.75, (double)lead!["score"]!["intent"]!);
        Assert.Equal(15, (int)lead["uncountedIntentEvents"]!);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task MalformedBatch_Is400_ListingPaths_WithoutEchoingValues(string backend)
    {
        var factory = _services.For(backend);
        using var response = await factory.PostBatchAsync(new
        {
            practice = "Demo Dental!",
            vertical = "dental",
            batch = new object[]
            {
                new { type = "track", userId = "dd1:SECRET-PSEUDONYM", timestamp = "yesterday" },
                new { type = "fax", messageId = "dd1:m-x" },
            },
        });

        var body = await response.Content.ReadAsStringAsync();
        var errors = JsonNode.Parse(body)!["errors"]!.AsObject();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["batch[0].event", "batch[0].messageId", "batch[0].timestamp", "batch[1].type", "practice"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("SECRET-PSEUDONYM", body, StringComparison.Ordinal);
        Assert.DoesNotContain("yesterday", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task UnknownVertical_Is400(string backend)
    {
        var factory = _services.For(backend);
        using var response = await factory.PostBatchAsync(new { practice = "demo", vertical = "veterinary", batch = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no scoring configuration is loaded for this vertical", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task NotJson_Is400_AndTooLarge_Is413(string backend)
    {
        var factory = _services.For(backend);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ScoringServiceFactory.IngestToken);

        using var notJson = await client.PostAsync("/ingest/v1/batch", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        using var tooLarge = await client.PostAsync("/ingest/v1/batch", new StringContent(new string(' ', 1024 * 1024 + 1), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task MissingTimestamp_UsesTheBatchSentAt_AndFutureTimesAreClampedToReceipt(string backend)
    {
        var factory = _services.For(backend);
        var sentAt = s_at.AddMinutes(-30);
        using var response = await factory.PostBatchAsync(Dental(
            sentAt,
            new { type = "track", @event = "Pricing Page Viewed", messageId = "dd1:m-t1", userId = "dd1:u-t", properties = new { } },
            Track("dd1:m-t2", "dd1:u-t", "Comparison Page Viewed", s_at.AddDays(3))));

        var lead = await factory.ApiClientWithKey().GetFromJsonAsync<JsonObject>(Lead("dd1:u-t"));
        var times = lead!["intent"]!.AsArray().Select(l => ((string)l!["event"]!, (DateTimeOffset)l["at"]!)).OrderBy(t => t.Item1).ToList();

        Assert.Equal([("Comparison Page Viewed", s_at), ("Pricing Page Viewed", sentAt)], times);
    }
}
