using System.Net;
using System.Text.Json.Nodes;
using Gateway.Compliance.Audit;
using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Server.Tests.Disclosure;

public class DeduplicationTests
{
    private static List<JsonObject> EventRecords(GatewayHarness gateway) =>
        [.. gateway.AuditRecords().Where(r => (string?)r["kind"] == "event")];

    [Fact]
    public async Task ARetriedBatch_IsAcknowledged_NotForwardedAgain_AndAuditedAsADuplicate()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var client = gateway.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("batch", Events.Batch(Events.ServicePageViewed("d-1"), Events.ServicePageViewed("d-2")))).StatusCode);

        // The SDK did not see the answer and sends the whole batch again, with one new event.
        var retry = await client.PostAsync("batch", Events.Batch(Events.ServicePageViewed("d-1"), Events.ServicePageViewed("d-2"), Events.ServicePageViewed("d-3")));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(3, gateway.Upstream.Events.Count);
        Assert.Equal(3, gateway.Upstream.MessageIds.Distinct().Count());
        var duplicates = EventRecords(gateway).Where(r => (string?)r["reason"] == "duplicate").ToList();
        Assert.Equal(2, duplicates.Count);
        Assert.All(duplicates, r => Assert.Equal("dropped", (string?)r["outcome"]));
        Assert.DoesNotContain(gateway.AuditRecords().Where(r => (string?)r["kind"] == "delivery").SelectMany(r => r["messageIds"]!.AsArray()).GroupBy(m => (string?)m), g => g.Count() > 1);
    }

    [Fact]
    public async Task TheSameMessageIdTwiceInOneBatch_IsForwardedOnce()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("batch", Events.Batch(Events.ServicePageViewed("twice"), Events.ServicePageViewed("twice")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(gateway.Upstream.Events);
        Assert.Single(EventRecords(gateway), r => (string?)r["reason"] == "duplicate");
    }

    [Fact]
    public async Task AQueuedEvent_IsADuplicateToo_AndItsRetryIsNotQueuedAgain()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.Upstream.Status = 503;
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("q-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("q-1"))).StatusCode);
        gateway.Upstream.Status = 200;
        await Wait.UntilAsync(() => gateway.Upstream.Events.Count >= 1, "delivery from the outbox");
        await Task.Delay(500);
        Assert.Single(gateway.Upstream.MessageIds);
        Assert.Single(EventRecords(gateway), r => (string?)r["reason"] == "duplicate");
    }

    [Fact]
    public async Task ARequestThatFails_GivesItsMessageIdsBack_SoTheRetryIsForwarded()
    {
        var failing = new FaultSwitch();
        await using var gateway = await GatewayHarness.StartAsync(services: services => services.AddSingleton<IAuditLog>(sp =>
            FileAuditLog.Open(new AuditFileOptions
            {
                Directory = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "audit"),
                InstanceId = "gw-fault",
                WrapStream = stream => new FaultyStream(stream, failing),
            })));

        failing.FailWritesAfterBytes = 0;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("f-1"))).StatusCode);
        failing.FailWritesAfterBytes = null;
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("f-1"))).StatusCode);
        Assert.Single(gateway.Upstream.Events);
    }

    [Fact]
    public async Task WithDeduplicationOff_ARetryIsForwardedAgain()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:Deduplication:Enabled"] = "false" });
        await gateway.Client().PostAsync("track", Events.ServicePageViewed("off-1"));
        await gateway.Client().PostAsync("track", Events.ServicePageViewed("off-1"));
        Assert.Equal(2, gateway.Upstream.Events.Count);
    }
}
