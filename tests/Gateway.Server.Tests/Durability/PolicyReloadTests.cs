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
