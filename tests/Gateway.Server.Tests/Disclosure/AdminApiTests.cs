using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Disclosure;

public class AdminApiTests
{
    [Fact]
    public async Task ComplianceRole_CanRead_ButNotWrite()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var compliance = gateway.AdminClient(GatewayHarness.ComplianceKey);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa")).StatusCode);
        var write = await compliance.PostAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/consent", Events.Json(new JsonObject
        {
            ["person"] = new JsonObject { ["userId"] = "u" },
            ["purpose"] = "analytics",
            ["decision"] = "revoked",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task WriteKeys_AreNotAdminKeys_AndFailuresAreAuditedWithoutTheKey()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var asWriteKey = gateway.AdminClient(gateway.DentalKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asWriteKey.GetAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.AnonymousClient().GetAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa")).StatusCode);
        await Task.Delay(300);
        var failures = gateway.AuditRecords().Where(r => (string?)r["kind"] == "auth-failure" && (string?)r["surface"] == "admin").ToList();
        Assert.Equal(2, failures.Count);
        Assert.DoesNotContain(gateway.DentalKey, gateway.ReadAllAuditAndLogs());
    }

    [Fact]
    public async Task EveryAdminCall_IsAudited_WithKeyRouteAndStatus()
    {
        await using var gateway = await GatewayHarness.StartAsync(withBaa: false);
        await gateway.RecordBaaAsync(GatewayHarness.DentalPractice, DateTimeOffset.UtcNow, null, ["pseudonymous-id"]);
        await gateway.AdminClient(GatewayHarness.ComplianceKey).GetAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa");
        await Task.Delay(300);
        var calls = gateway.AuditRecords().Where(r => (string?)r["kind"] == "admin").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("test-admin", (string?)calls[0]["key"]);
        Assert.Equal("/admin/v1/practices/{practiceId}/baa", (string?)calls[0]["route"]);
        Assert.Equal(201, (int?)calls[0]["status"]);
        Assert.Equal("test-compliance", (string?)calls[1]["key"]);
        Assert.Equal(GatewayHarness.DentalPractice, (string?)calls[1]["practice"]);
    }

    [Theory]
    [InlineData("""{"destination":"meta","effectiveFrom":"2026-01-01T00:00:00Z","documentReference":"x","covers":["pseudonymous-id"]}""")]
    [InlineData("""{"destination":"scoring","effectiveFrom":"2026-01-01T00:00:00Z","documentReference":"x","covers":["everything"]}""")]
    [InlineData("""{"destination":"scoring","effectiveFrom":"2026-01-01T00:00:00Z","expiresAt":"2025-01-01T00:00:00Z","documentReference":"x","covers":["date"]}""")]
    [InlineData("""{"destination":"scoring","documentReference":"x","covers":["date"]}""")]
    public async Task InvalidBaaRequests_Are400(string body)
    {
        await using var gateway = await GatewayHarness.StartAsync(withBaa: false);
        var response = await gateway.AdminClient().PostAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ConsentGrant_NeedsTheDisclosure()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.AdminClient().PostAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/consent", Events.Json(new JsonObject
        {
            ["person"] = new JsonObject { ["userId"] = "u" },
            ["purpose"] = "sms",
            ["decision"] = "granted",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task WithAnAdminPort_AdminAndIngestAnswerOnlyOnTheirOwnPorts()
    {
        var ingestPort = GatewayProcess.FreePort();
        var adminPort = GatewayProcess.FreePort();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Admin:Port"] = adminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{ingestPort};http://127.0.0.1:{adminPort}",
        }, withBaa: false, kestrelPorts: [ingestPort, adminPort]);

        using var ingest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ingestPort}") };
        ingest.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHarness.AdminKey);
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHarness.AdminKey);
        var path = $"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa";

        Assert.Equal(HttpStatusCode.NotFound, (await ingest.GetAsync(path)).StatusCode);
        var onAdmin = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, onAdmin.StatusCode);
        Assert.True(onAdmin.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/v1/track", Events.Json(Events.ServicePageViewed()))).StatusCode);
    }
}
