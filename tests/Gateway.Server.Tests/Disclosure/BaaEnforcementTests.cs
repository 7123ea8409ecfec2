using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Hosting;
using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Server.Tests.Disclosure;

public class BaaEnforcementTests
{
    private static JsonObject LastEventRecord(GatewayHarness gateway) => gateway.AuditRecords().Last(r => (string?)r["kind"] == "event");

    private static JsonObject Appointment() => Events.Track("Appointment Requested", new JsonObject
    {
        ["service_line"] = "implants",
        ["email"] = "jane@example.com",
        ["notes"] = "Please call me after 5pm",
        ["zip"] = "02139",
    });

    [Fact]
    public async Task WithoutABaa_EventsCarryingPhi_AreNotForwarded()
    {
        await using var gateway = await GatewayHarness.StartAsync(withBaa: false);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Appointment())).StatusCode);
        Assert.Empty(gateway.Upstream.Requests);
        var record = LastEventRecord(gateway);
        Assert.Equal("dropped", (string?)record["outcome"]);
        Assert.Equal("baa-missing", (string?)record["reason"]);
    }

    [Fact]
    public async Task BaaThatExpires_StopsTheFlow_AtItsExpiryInstant()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await GatewayHarness.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock), withBaa: false);
        var expires = clock.GetUtcNow().AddDays(30);
        var baa = await gateway.RecordBaaAsync(GatewayHarness.DentalPractice, clock.GetUtcNow().AddDays(-1), expires, GatewayHarness.AllPhiClasses);

        clock.Set(expires.AddSeconds(-1));
        await gateway.Client().PostAsync("track", Appointment());
        Assert.Single(gateway.Upstream.Events);
        Assert.Equal((long)baa["id"]!, (long?)LastEventRecord(gateway)["destinations"]![0]!["baa"]);

        clock.Set(expires);
        await gateway.Client().PostAsync("track", Appointment());
        Assert.Single(gateway.Upstream.Events);
        var record = LastEventRecord(gateway);
        Assert.Equal("baa-not-in-force", (string?)record["reason"]);
        Assert.Equal((long)baa["id"]!, (long?)record["destinations"]![0]!["baa"]);
    }

    [Fact]
    public async Task BaaNotYetEffective_DoesNotCount()
    {
        await using var gateway = await GatewayHarness.StartAsync(withBaa: false);
        await gateway.RecordBaaAsync(GatewayHarness.DentalPractice, DateTimeOffset.UtcNow.AddDays(3), null, GatewayHarness.AllPhiClasses);
        await gateway.Client().PostAsync("track", Appointment());
        Assert.Empty(gateway.Upstream.Requests);
        Assert.Equal("baa-not-in-force", (string?)LastEventRecord(gateway)["reason"]);
    }

    [Fact]
    public async Task BaaNotCoveringAClassTheEventCarries_StopsIt()
    {
        await using var gateway = await GatewayHarness.StartAsync(withBaa: false);
        await gateway.RecordBaaAsync(GatewayHarness.DentalPractice, DateTimeOffset.UtcNow.AddDays(-1), null, ["pseudonymous-id", "date", "url"]);
        await gateway.Client().PostAsync("track", Appointment());
        Assert.Empty(gateway.Upstream.Requests);
        Assert.Equal("baa-not-covering", (string?)LastEventRecord(gateway)["reason"]);
    }

    [Fact]
    public async Task TerminatedBaa_StopsTheFlow()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.Client().PostAsync("track", Appointment());
        Assert.Single(gateway.Upstream.Events);
        var terminated = await gateway.AdminClient().PostAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa/scoring/terminate", Events.Json(new JsonObject()));
        Assert.Equal(HttpStatusCode.OK, terminated.StatusCode);
        await gateway.Client().PostAsync("track", Appointment());
        Assert.Single(gateway.Upstream.Events);
    }

    [Fact]
    public async Task WithoutBaa_Deidentify_SendsOnlyDeidentifiedFields_AndSaysWhatWasWithheld()
    {
        var policies = StartupTests.CopyPolicies();
        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("    withoutBaa: drop", "    withoutBaa: deidentify", StringComparison.Ordinal));
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies }, withBaa: false);

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Appointment())).StatusCode);
        var forwarded = Assert.Single(gateway.Upstream.Events);
        Assert.False(forwarded.ContainsKey("userId"));
        Assert.False(forwarded.ContainsKey("timestamp"));
        Assert.False(forwarded["properties"]!.AsObject().ContainsKey("notes"));
        Assert.Equal("021", (string?)forwarded["properties"]!["zip"]);
        Assert.Equal("implants", (string?)forwarded["properties"]!["service_line"]);
        Assert.True((bool)forwarded["derived"]!["email_valid"]!);

        var decision = LastEventRecord(gateway)["destinations"]![0]!;
        Assert.Equal("forward", (string?)decision["outcome"]);
        Assert.True((bool)decision["deidentified"]!);
        Assert.Equal("baa-missing", (string?)decision["reason"]);
        Assert.Contains("userId", decision["withheld"]!.ToJsonString());
        Assert.Contains("properties.notes", decision["withheld"]!.ToJsonString());
    }
}
