using System.Net;
using Gateway.Server.Tests.Hosting;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Durability;

public class PolicyReloadTests
{
    [Fact]
    public async Task InvalidPolicyWhileRunning_KeepsTheLastGoodPolicy_AndSaysSo()
    {
        var policies = StartupTests.CopyPolicies();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies });
        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("context.ip: drop", "context.ip: shred", StringComparison.Ordinal));

        await Wait.UntilAsync(() => gateway.AuditRecords().Any(r => (string?)r["action"] == "policies-reload-rejected"), "the rejected reload", 15);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
        Assert.Single(gateway.Upstream.Events);
        var ready = await gateway.AnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("serving the last good policies", await ready.Content.ReadAsStringAsync());
        Assert.Contains("unknown action 'shred'", File.ReadAllText(Directory.GetFiles(gateway.LogPath).Single()));
    }

    [Fact]
    public async Task RemovedPolicyFile_KeepsTheLastGoodPolicy()
    {
        var policies = StartupTests.CopyPolicies();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies });
        File.Delete(Path.Combine(policies, "dental", "policy.yaml"));
        await Wait.UntilAsync(() => gateway.AuditRecords().Any(r => (string?)r["action"] == "policies-reload-rejected"), "the rejected reload", 15);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
        Assert.Single(gateway.Upstream.Events);
    }

    [Fact]
    public async Task ValidChange_IsPickedUp_AndTheNewVersionIsAudited()
    {
        var policies = StartupTests.CopyPolicies();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies });
        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("version: \"2026.11.0\"", "version: \"2026.11.1\"", StringComparison.Ordinal));
        await Wait.UntilAsync(() => gateway.AuditRecords().Any(r => (string?)r["action"] == "policies-reloaded"), "the reload", 15);
        await gateway.Client().PostAsync("track", Events.ServicePageViewed());
        Assert.Equal("2026.11.1", (string?)gateway.AuditRecords().Last(r => (string?)r["kind"] == "event")["policy"]!["version"]);
    }
}

/// <summary>Queued events scrubbed under two policy versions are delivered one request per version, each settled on its own.</summary>
public class OutboxAcrossPolicyReloadTests
{
    [Fact]
    public async Task QueuedBatchSpanningAReload_DeliveredRunIsNotSentAgain_WhenTheNextRunFails()
    {
        var policies = StartupTests.CopyPolicies();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = policies,
            ["Gateway:Outbox:MinBackoffSeconds"] = "0.2",
            ["Gateway:Outbox:MaxBackoffSeconds"] = "0.5",
        });
        gateway.Upstream.Status = 503;
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("reload-a"))).StatusCode);

        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("version: \"2026.11.0\"", "version: \"2026.11.1\"", StringComparison.Ordinal));
        await Wait.UntilAsync(() => gateway.AuditRecords().Any(r => (string?)r["action"] == "policies-reloaded"), "the reload", 15);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("reload-b"))).StatusCode);

        var a = OutboxTests.Pseudonym("reload-a");
        var b = OutboxTests.Pseudonym("reload-b");
        gateway.Upstream.UnavailableForMessageId = b;
        gateway.Upstream.Status = 200;
        await Wait.UntilAsync(() => gateway.Upstream.Requests.Count(r => r.Body.Contains(b, StringComparison.Ordinal)) >= 3, "retries of the second run", 20);
        gateway.Upstream.UnavailableForMessageId = null;
        await Wait.UntilAsync(() => gateway.Upstream.Requests.Any(r => r.Status == 200 && r.Body.Contains(b, StringComparison.Ordinal)), "the second run delivered", 20);

        Assert.Equal(1, gateway.Upstream.Requests.Count(r => r.Status == 200 && r.Body.Contains(a, StringComparison.Ordinal)));
        Assert.DoesNotContain(gateway.Upstream.Requests, r => r.Body.Contains(a, StringComparison.Ordinal) && r.Body.Contains(b, StringComparison.Ordinal));
        await Wait.UntilAsync(() => gateway.AuditRecords().Any(r => (string?)r["kind"] == "delivery" && (bool)r["delivered"]! && r["messageIds"]!.AsArray().Any(m => (string?)m == b)), "b's delivery record");
        var deliveriesOfA = gateway.AuditRecords().Where(r => (string?)r["kind"] == "delivery" && r["messageIds"]!.AsArray().Any(m => (string?)m == a)).ToList();
        Assert.Single(deliveriesOfA, r => (bool)r["delivered"]!);
        Assert.True((bool)deliveriesOfA[^1]["delivered"]!, "the last record of the first run says it was delivered");
    }
}
