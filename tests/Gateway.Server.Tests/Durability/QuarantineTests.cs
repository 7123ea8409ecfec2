using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Hosting;
using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Server.Tests.Durability;

public class QuarantineTests
{
    private static JsonObject InvalidPricing(string messageId) =>
        Events.Track("Pricing Page Viewed", new JsonObject { ["service_line"] = "Teeth Whitening Deluxe", ["plan"] = "quarantine-canary-plan" }, messageId);

    [Fact]
    public async Task InvalidEvent_IsQuarantinedEncrypted_AndListedWithoutValues()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("track", InvalidPricing("q-1"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool)problem["errors"]![0]!["quarantined"]!);

        var list = await gateway.AdminClient(GatewayHarness.ComplianceKey).GetStringAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/quarantine");
        var entry = Assert.Single(JsonNode.Parse(list)!.AsArray())!;
        Assert.Equal("schema-invalid", (string?)entry["reason"]);
        Assert.Equal("properties.service_line", (string?)entry["violations"]![0]!["path"]);
        Assert.DoesNotContain("Whitening", list);
        Assert.DoesNotContain("quarantine-canary", list);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var stored = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(gateway.DataPath, "gateway.db")));
        Assert.DoesNotContain("quarantine-canary", stored);
        Assert.DoesNotContain("quarantine-canary", gateway.ReadAllAuditAndLogs());
        Assert.Contains(gateway.AuditRecords(), r => (string?)r["outcome"] == "rejected" && r["quarantine"] is not null);
    }

    [Fact]
    public async Task EventTheEngineFailsOn_IsA400InTheBatch_QuarantinedAndAudited_NeverA503()
    {
        var policies = StartupTests.CopyPolicies();
        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace(
            "properties.location_id: { action: keep, class: non-phi, values: location }", "properties.location_id: tokenize", StringComparison.Ordinal));
        await using var gateway = await GatewayHarness.StartAsync(
            new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies },
            services => services.AddSingleton<Gateway.Compliance.Tokens.ITokenProtector>(new TimingOutTokens()));
        var good = Events.ServicePageViewed("engine-good");
        var poison = Events.ServicePageViewed("engine-poison");
        poison["properties"]!["location_id"] = TimingOutTokens.Trigger;

        var response = await gateway.Client().PostAsync("batch", Events.Batch(good, poison));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray())!;
        Assert.Equal(1, (int?)error["index"]);
        Assert.Equal("unprocessable", (string?)error["reason"]);
        Assert.True((bool)error["quarantined"]!);
        Assert.Equal([OutboxTests.Pseudonym("engine-good")], gateway.Upstream.MessageIds);
        Assert.Contains(gateway.AuditRecords(), r => (string?)r["reason"] == "unprocessable" && r["quarantine"] is not null);
        Assert.DoesNotContain(TimingOutTokens.Trigger, gateway.ReadAllAuditAndLogs());
    }

    /// <summary>A tokenizer whose pattern "times out" on one value: a per-event failure, not an outage.</summary>
    private sealed class TimingOutTokens : Gateway.Compliance.Tokens.ITokenProtector
    {
        public const string Trigger = "cnry-slow-location";

        public string Protect(string practiceId, string value) =>
            value == Trigger ? throw new System.Text.RegularExpressions.RegexMatchTimeoutException() : "tok:" + value.Length;

        public string Unprotect(string practiceId, string token) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Inspecting_RevealsTheEvent_ToAdminsOnly()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.Client().PostAsync("track", InvalidPricing("q-2"));
        var path = $"/admin/v1/practices/{GatewayHarness.DentalPractice}/quarantine/1";
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.AdminClient(GatewayHarness.ComplianceKey).GetAsync(path)).StatusCode);
        var inspected = JsonNode.Parse(await gateway.AdminClient().GetStringAsync(path))!;
        Assert.Equal("quarantine-canary-plan", (string?)inspected["event"]!["properties"]!["plan"]);
        Assert.DoesNotContain("quarantine-canary", gateway.ReadAllAuditAndLogs());
    }

    [Fact]
    public async Task RetriedInvalidEvent_IsKeptOnce()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.Client().PostAsync("track", InvalidPricing("q-3"));
        await gateway.Client().PostAsync("track", InvalidPricing("q-3"));
        var list = await gateway.AdminClient().GetStringAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/quarantine");
        Assert.Single(JsonNode.Parse(list)!.AsArray());
    }

    [Fact]
    public async Task Replay_AfterTheSchemaIsFixed_Forwards_OnceEvenIfRepeated()
    {
        var policies = StartupTests.CopyPolicies();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies });
        await gateway.Client().PostAsync("track", InvalidPricing("q-4"));
        var admin = gateway.AdminClient();
        var replayPath = $"/admin/v1/practices/{GatewayHarness.DentalPractice}/quarantine/1/replay";

        var stillInvalid = JsonNode.Parse(await (await admin.PostAsync(replayPath, null)).Content.ReadAsStringAsync())!;
        Assert.Equal("rejected", (string?)stillInvalid["outcome"]);
        Assert.Empty(gateway.Upstream.Requests);

        // Fix: service lines may be written with capitals and spaces.
        var envelope = Path.Combine(policies, "dental", "schemas", "envelope.schema.json");
        File.WriteAllText(envelope, File.ReadAllText(envelope).Replace(
            "\"description\": \"A dental service line",
            "\"pattern\": \"^[A-Za-z][A-Za-z _-]{0,63}$\", \"description\": \"A dental service line", StringComparison.Ordinal)
            .Replace("\"serviceLine\": {\n        \"type\": \"string\",\n        \"pattern\": \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\",", "\"serviceLine\": {\n        \"type\": \"string\",", StringComparison.Ordinal));
        await Wait.UntilAsync(() => gateway.AuditRecords().Any(r => (string?)r["action"] == "policies-reloaded"), "the policy reload", 15);

        var replayed = JsonNode.Parse(await (await admin.PostAsync(replayPath, null)).Content.ReadAsStringAsync())!;
        Assert.Equal("forwarded", (string?)replayed["outcome"]);
        await admin.PostAsync(replayPath, null);
        Assert.Single(gateway.Upstream.MessageIds.Distinct());
        Assert.Equal(OutboxTests.Pseudonym("q-4"), gateway.Upstream.MessageIds[0]);
        var entry = JsonNode.Parse(await admin.GetStringAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/quarantine"))!.AsArray()[0]!;
        Assert.Equal("forwarded", (string?)entry["replayOutcome"]);
    }

    [Fact]
    public async Task MissingKeyRing_FailsClosed_ForWhatNeedsIt_AndReadinessSaysSo()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        Directory.Delete(Path.Combine(gateway.DataPath, "keys"), recursive: true);

        var ready = await gateway.AnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("key ring is missing", await ready.Content.ReadAsStringAsync());

        var invalid = await gateway.Client().PostAsync("track", InvalidPricing("q-5"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, invalid.StatusCode);
        Assert.NotNull(invalid.Headers.RetryAfter);
        Assert.False(Directory.Exists(Path.Combine(gateway.DataPath, "keys")) && Directory.GetFiles(Path.Combine(gateway.DataPath, "keys")).Length > 0);
    }
}
