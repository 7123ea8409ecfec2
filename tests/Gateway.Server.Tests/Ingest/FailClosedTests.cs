using System.Net;
using System.Text.Json.Nodes;
using Gateway.Compliance.Tokens;
using Gateway.Server.Tests.Hosting;
using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Server.Tests.Ingest;

public class FailClosedTests
{
    [Fact]
    public async Task AuditWriteFailure_Is503_AndNothingIsForwarded()
    {
        var failing = new FaultSwitch();
        await using var gateway = await GatewayHarness.StartWithFaultyAuditAsync(failing);

        failing.FailWritesAfterBytes = 0;
        var response = await gateway.Client().PostAsync("track", Events.ServicePageViewed());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(gateway.Upstream.Requests);

        var ready = await gateway.AnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        failing.FailWritesAfterBytes = null;
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
        Assert.Single(gateway.Upstream.Requests);
    }

    [Fact]
    public async Task Tokenize_UsesDataProtection_PerPracticePurpose()
    {
        var policies = StartupTests.CopyPolicies();
        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace(
            "      properties.email: { action: drop, derive: [email_valid] }\n      properties.phone: { action: drop, derive: [phone_valid] }\n      properties.date_of_birth",
            "      properties.email: { action: tokenize, derive: [email_valid] }\n      properties.phone: { action: drop, derive: [phone_valid] }\n      properties.date_of_birth",
            StringComparison.Ordinal));
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies });
        var e = Events.Track("Appointment Requested", new JsonObject { ["service_line"] = "implants", ["email"] = "token.canary@example.com" });
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", e)).StatusCode);

        var token = (string)Assert.Single(gateway.Upstream.Events)["properties"]!["email"]!;
        Assert.StartsWith("tok:", token);
        Assert.DoesNotContain("token.canary", token);
        var protector = gateway.Services.GetRequiredService<ITokenProtector>();
        Assert.Equal("token.canary@example.com", protector.Unprotect(GatewayHarness.DentalPractice, token["tok:".Length..]));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(GatewayHarness.HealthcarePractice, token["tok:".Length..]));
        Assert.Contains("token", gateway.AuditRecords().Single(r => (string?)r["kind"] == "event")["classes"]!.ToJsonString());
    }
}
