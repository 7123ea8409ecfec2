using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Hosting;
using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Server.Tests.Disclosure;

public class ConsentEnforcementTests
{
    private static JsonObject ServerSideEvent(string userId, string name = "Service Page Viewed")
    {
        var e = Events.Track(name, new JsonObject { ["service_line"] = "implants" }, userId: userId);
        e["context"]!.AsObject().Remove("consent");
        return e;
    }

    private static JsonObject LastEventRecord(GatewayHarness gateway) => gateway.AuditRecords().Last(r => (string?)r["kind"] == "event");

    [Fact]
    public async Task EventWithoutConsent_IsDropped_With200_AndTheAuditSaysWhy()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("track", ServerSideEvent("patient-1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(gateway.Upstream.Requests);
        var record = LastEventRecord(gateway);
        Assert.Equal("dropped", (string?)record["outcome"]);
        Assert.Equal("consent-missing", (string?)record["reason"]);
        var decision = record["destinations"]![0]!;
        Assert.Equal("scoring", (string?)decision["name"]);
        Assert.Equal("""["analytics"]""", decision["missingPurposes"]!.ToJsonString());
        Assert.Equal("[]", decision["consent"]!.ToJsonString());
    }

    [Fact]
    public async Task ConsentGrantedThroughTheAdminApi_LetsEventsThrough_AndTheAuditCitesTheRecord()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var granted = await gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "patient-2", "analytics", "granted");
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var id = (long)JsonNode.Parse(await granted.Content.ReadAsStringAsync())!["id"]!;

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", ServerSideEvent("patient-2"))).StatusCode);
        Assert.Single(gateway.Upstream.Events);
        var decision = LastEventRecord(gateway)["destinations"]![0]!;
        Assert.Equal("forward", (string?)decision["outcome"]);
        Assert.Equal($"[{id}]", decision["consent"]!.ToJsonString());
        Assert.NotNull((long?)decision["baa"]);
    }

    [Fact]
    public async Task RevocationThroughTheAdminApi_AppliesToTheNextEvent()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "patient-3", "analytics", "granted");
        await gateway.Client().PostAsync("track", ServerSideEvent("patient-3"));
        Assert.Single(gateway.Upstream.Events);

        Assert.Equal(HttpStatusCode.Created, (await gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "patient-3", "analytics", "revoked")).StatusCode);
        await gateway.Client().PostAsync("track", ServerSideEvent("patient-3"));
        Assert.Single(gateway.Upstream.Events);
        Assert.Equal("consent-missing", (string?)LastEventRecord(gateway)["reason"]);
    }

    [Fact]
    public async Task CategoryPreferences_GrantAndRevoke_AreRecordedInTheLedger_AndBindServerSideEvents()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var client = gateway.Client();

        var denied = ServerSideEvent("patient-4");
        denied["context"]!["consent"] = Events.Consent(analytics: false);
        await client.PostAsync("track", denied);
        Assert.Empty(gateway.Upstream.Requests);

        // A later server-side event without preferences is bound by the recorded revocation.
        await client.PostAsync("track", ServerSideEvent("patient-4"));
        Assert.Empty(gateway.Upstream.Requests);

        var allowed = ServerSideEvent("patient-4");
        allowed["context"]!["consent"] = Events.Consent(analytics: true);
        await client.PostAsync("track", allowed);
        await client.PostAsync("track", ServerSideEvent("patient-4"));
        Assert.Equal(2, gateway.Upstream.Events.Count);

        var history = await QueryAsync(gateway, "patient-4");
        var records = history["history"]!.AsArray();
        Assert.Equal(2, records.Count);
        Assert.Equal("revoked", (string?)records[0]!["decision"]);
        Assert.Equal("granted", (string?)records[1]!["decision"]);
        Assert.All(records, r => Assert.Equal("event", (string?)r!["source"]));
        Assert.Equal("categoryPreferences.Analytics", (string?)records[0]!["sourceReference"]);
    }

    [Fact]
    public async Task RepeatedPreferences_DoNotGrowTheLedger()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await gateway.Client().PostAsync("track", Events.Track("Service Page Viewed", userId: "patient-5"));
        }

        Assert.Equal(5, gateway.Upstream.Events.Count);
        Assert.Single((await QueryAsync(gateway, "patient-5"))["history"]!.AsArray());
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData(" stop ")]
    [InlineData("Unsubscribe")]
    [InlineData("OPT OUT")]
    [InlineData("quit!")]
    public async Task SmsOptOutKeyword_RevokesSms_AtOnce(string reply)
    {
        var policies = StartupTests.CopyPolicies();
        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace(
            "    schema: schemas/recall-responded.schema.json\n",
            "    schema: schemas/recall-responded.schema.json\n    purposes: { scoring: [analytics, sms] }\n",
            StringComparison.Ordinal));
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies });
        await gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "patient-6", "sms", "granted");
        var recall = Events.Track("Recall Responded", new JsonObject { ["response"] = "scheduled", ["channel"] = "sms" }, userId: "patient-6");
        await gateway.Client().PostAsync("track", recall);
        Assert.Single(gateway.Upstream.Events);

        var sms = Events.Track("SMS Reply Received", new JsonObject { ["keyword"] = reply, ["phone"] = "+16175550199" }, userId: "patient-6");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", sms)).StatusCode);
        await gateway.Client().PostAsync("track", Events.Track("Recall Responded", new JsonObject { ["response"] = "later", ["channel"] = "sms" }, userId: "patient-6"));

        var recalls = gateway.Upstream.Events.Where(e => (string?)e["event"] == "Recall Responded").ToList();
        Assert.Single(recalls);
        var record = LastEventRecord(gateway);
        Assert.Equal("consent-missing", (string?)record["reason"]);
        Assert.Equal("""["sms"]""", record["destinations"]![0]!["missingPurposes"]!.ToJsonString());
        var history = (await QueryAsync(gateway, "patient-6"))["history"]!.AsArray();
        Assert.Contains(history, r => (string?)r!["purpose"] == "sms" && (string?)r["decision"] == "revoked" && (string?)r["source"] == "sms");
        Assert.DoesNotContain("6175550199", gateway.ReadAllAuditAndLogs());
    }

    [Fact]
    public async Task StartKeyword_DoesNotRegrantSms()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "patient-7", "sms", "revoked");
        await gateway.Client().PostAsync("track", Events.Track("SMS Reply Received", new JsonObject { ["keyword"] = "START" }, userId: "patient-7"));
        var current = (await QueryAsync(gateway, "patient-7"))["current"]!["sms"]!;
        Assert.False((bool)current["granted"]!);
    }

    [Fact]
    public async Task ExpiredConsent_StopsTheFlow_AtItsExpiry()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await GatewayHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var expires = clock.GetUtcNow().AddHours(1);
        await gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "patient-8", "analytics", "granted", expires);

        clock.Set(expires.AddMilliseconds(-1));
        await gateway.Client().PostAsync("track", ServerSideEvent("patient-8"));
        Assert.Single(gateway.Upstream.Events);

        clock.Set(expires);
        await gateway.Client().PostAsync("track", ServerSideEvent("patient-8"));
        Assert.Single(gateway.Upstream.Events);
        Assert.Equal("consent-missing", (string?)LastEventRecord(gateway)["reason"]);
    }

    [Fact]
    public async Task ConsentRecordedForTheAnonymousId_CoversEventsThatAlsoCarryAUserId()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.AdminClient().PostAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/consent", Events.Json(new JsonObject
        {
            ["person"] = new JsonObject { ["anonymousId"] = "anon-banner-1" },
            ["purpose"] = "analytics",
            ["decision"] = "granted",
            ["disclosureText"] = "Cookie banner v4",
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var e = ServerSideEvent("patient-9");
        e["anonymousId"] = "anon-banner-1";
        await gateway.Client().PostAsync("track", e);
        Assert.Single(gateway.Upstream.Events);
    }

    [Fact]
    public async Task ConsentQuery_ShowsPseudonymsAndHashes_NeverTheIdentifierOrDisclosureText()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "patient-canary-10", "marketing_email", "granted");
        var response = await gateway.AdminClient(GatewayHarness.ComplianceKey).PostAsync(
            $"/admin/v1/practices/{GatewayHarness.DentalPractice}/consent/query", Events.Json(new JsonObject { ["userId"] = "patient-canary-10" }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("patient-canary-10", text);
        Assert.DoesNotContain("I agree", text);
        Assert.Matches("\"disclosureSha256\":\"[0-9a-f]{64}\"", text);
        Assert.StartsWith("t0:", (string?)JsonNode.Parse(text)!["subjects"]![0]);
        Assert.DoesNotContain("patient-canary-10", gateway.ReadAllAuditAndLogs());
    }

    [Fact]
    public async Task StoreUnavailable_Is503_NothingForwarded_AndReadinessFails()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
        var database = Path.Combine(gateway.DataPath, "gateway.db");
        CorruptDatabase(database);

        var response = await gateway.Client().PostAsync("track", Events.ServicePageViewed());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Single(gateway.Upstream.Requests);
        var ready = await gateway.AnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("store cannot be read", await ready.Content.ReadAsStringAsync());
    }

    internal static void CorruptDatabase(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.WriteAllBytes(file, Enumerable.Repeat((byte)0x5A, 8192).ToArray());
            }
        }
    }

    private static async Task<JsonNode> QueryAsync(GatewayHarness gateway, string userId)
    {
        var response = await gateway.AdminClient(GatewayHarness.ComplianceKey).PostAsync(
            $"/admin/v1/practices/{GatewayHarness.DentalPractice}/consent/query", Events.Json(new JsonObject { ["userId"] = userId }));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
