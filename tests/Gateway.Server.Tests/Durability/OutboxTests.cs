using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Disclosure;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Durability;

public class OutboxTests
{
    private static IReadOnlyList<JsonObject> Deliveries(GatewayHarness gateway) =>
        [.. gateway.AuditRecords().Where(r => (string?)r["kind"] == "delivery")];

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task DestinationFailure_Queues_Answers200_AndDeliversWhenBack(int failure)
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.Upstream.Status = failure;
        var response = await gateway.Client().PostAsync("batch", Events.Batch(Events.ServicePageViewed("m-1"), Events.ServicePageViewed("m-2")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Wait.UntilAsync(() => Deliveries(gateway).Any(d => d["queued"] is not null), "the queued delivery record");
        var first = Deliveries(gateway).First();
        Assert.False((bool)first["delivered"]!);
        Assert.Equal(failure, (int?)first["status"]);
        Assert.True((bool)first["queued"]!);

        gateway.Upstream.Status = 200;
        await Wait.UntilAsync(() => gateway.Upstream.Events.Count == 2, "delivery from the outbox");
        await Wait.UntilAsync(() => Deliveries(gateway).Any(d => (string?)d["attempt"] == "outbox" && (bool)d["delivered"]!), "the outbox delivery record");
    }

    [Fact]
    public async Task DestinationDown_Queues_AndDeliversWhenItComesBack()
    {
        var upstream = await CapturingUpstream.StartAsync();
        var port = new Uri(upstream.Address).Port;
        await upstream.DisposeAsync();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = $"http://127.0.0.1:{port}/",
        });

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("down-1"))).StatusCode);
        await using var back = await CapturingUpstream.StartAsync(port);
        await Wait.UntilAsync(() => back.Events.Count == 1, "delivery after the destination came back", 30);
    }

    [Fact]
    public async Task SlowDestination_TimesOut_ThenTheOutboxDelivers_AndTheMessageIdStaysTheSame()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:Forwarding:TimeoutSeconds"] = "1" });
        gateway.Upstream.Delay = TimeSpan.FromSeconds(2.5);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("slow-1"))).StatusCode);
        gateway.Upstream.Delay = TimeSpan.Zero;
        await Wait.UntilAsync(() => Deliveries(gateway).Any(d => (string?)d["attempt"] == "outbox" && (bool)d["delivered"]!), "outbox delivery", 30);
        Assert.Single(gateway.Upstream.MessageIds.Distinct());
    }

    [Fact]
    public async Task NewEvents_WaitBehindQueuedOnes_SoDeliveryStaysInOrder()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.Upstream.Status = 503;
        for (var i = 0; i < 3; i++)
        {
            await gateway.Client().PostAsync("track", Events.ServicePageViewed("order-" + i));
        }

        gateway.Upstream.Status = 200;
        for (var i = 3; i < 6; i++)
        {
            await gateway.Client().PostAsync("track", Events.ServicePageViewed("order-" + i));
        }

        await Wait.UntilAsync(() => gateway.Upstream.MessageIds.Distinct().Count() == 6, "all six delivered");
        var expected = Enumerable.Range(0, 6).Select(i => Pseudonym("order-" + i)).ToList();
        Assert.Equal(expected, gateway.Upstream.MessageIds.Distinct().ToList());
    }

    [Fact]
    public async Task RefusedEvents_BecomeDeadLetters_WithTheDestinationsProblemTitle_AndReplayDeliversThem()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.Upstream.Status = 400;
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("refused-1"))).StatusCode);
        var admin = gateway.AdminClient();
        JsonArray letters = [];
        await Wait.UntilAsync(() =>
        {
            letters = JsonNode.Parse(admin.GetStringAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/dead-letters").Result)!.AsArray();
            return letters.Count == 1;
        }, "a dead letter");
        // The destination's own words (problem title and type) are kept with the dead letter and logged; never its detail.
        Assert.Equal($"refused-400: {CapturingUpstream.RefusalTitle} (urn:upstream:refused)", (string?)letters[0]!["reason"]);
        var log = gateway.ReadAllAuditAndLogs();
        Assert.Contains($"\"ProblemTitle\":\"{CapturingUpstream.RefusalTitle}\"", log);
        Assert.DoesNotContain(CapturingUpstream.RefusalDetail, log + letters.ToJsonString());
        Assert.Equal(Pseudonym("refused-1"), (string?)letters[0]!["messageId"]);

        gateway.Upstream.Status = 200;
        var replay = await admin.PostAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/dead-letters/{letters[0]!["id"]}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Wait.UntilAsync(() => gateway.Upstream.Events.Count == 1, "the replayed event delivered");
        Assert.Empty(JsonNode.Parse(await admin.GetStringAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/dead-letters"))!.AsArray());
    }

    [Fact]
    public async Task OneRefusedEvent_DoesNotSinkTheRestOfItsBatch()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.Upstream.Status = 503;
        await gateway.Client().PostAsync("batch", Events.Batch(Events.ServicePageViewed("b-1"), Events.ServicePageViewed("b-poison"), Events.ServicePageViewed("b-3")));
        gateway.Upstream.RefuseMessageId = Pseudonym("b-poison");
        gateway.Upstream.Status = 200;
        await Wait.UntilAsync(() => gateway.Upstream.Events.Count == 2, "the two good events");
        var admin = gateway.AdminClient();
        await Wait.UntilAsync(() => JsonNode.Parse(admin.GetStringAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/dead-letters").Result)!.AsArray().Count == 1, "one dead letter");
    }

    [Fact]
    public async Task OutboxUnusable_WhileTheDestinationIsDown_Is503_NothingAcknowledged()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.Upstream.Status = 503;
        ConsentEnforcementTests.CorruptDatabase(Path.Combine(gateway.DataPath, "gateway.db"));
        var response = await gateway.Client().PostAsync("track", Events.ServicePageViewed());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.AnonymousClient().GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task QueuedEvents_AreEncryptedAtRest_SoNeitherTheDatabaseNorItsWalHoldsAForwardedValue_BeforeOrAfterDelivery()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.Upstream.Status = 503;
        var e = Events.Track("Appointment Requested", new JsonObject
        {
            ["service_line"] = "implants",
            ["email"] = "outbox.canary@example.com",
            ["notes"] = "painful molar question, call me at 617-555-0188",
        });
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", e)).StatusCode);
        AssertNotReadable(gateway, "while queued");

        gateway.Upstream.Status = 200;
        await Wait.UntilAsync(() => gateway.Upstream.Events.Count == 1, "delivery from the outbox");
        var forwarded = gateway.Upstream.Events[0].ToJsonString();
        Assert.Contains("painful molar", forwarded, StringComparison.Ordinal);
        Assert.Contains("REDACTED:PHONE", forwarded, StringComparison.Ordinal);
        await Wait.UntilAsync(() => Deliveries(gateway).Any(d => (string?)d["attempt"] == "outbox" && (bool)d["delivered"]!), "the outbox delivery record");
        AssertNotReadable(gateway, "after delivery");

        static void AssertNotReadable(GatewayHarness gateway, string when)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var text = string.Concat(new[] { "gateway.db", "gateway.db-wal" }
                .Select(f => Path.Combine(gateway.DataPath, f))
                .Where(File.Exists)
                .Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
            Assert.True(text.Length > 0, when);
            foreach (var canary in new[] { "painful molar", "REDACTED:PHONE", "outbox.canary", "617-555-0188", "implants" })
            {
                Assert.False(text.Contains(canary, StringComparison.Ordinal), $"'{canary}' is readable in the database files {when}");
            }
        }
    }

    internal static string Pseudonym(string value) =>
        Gateway.Compliance.Pseudonyms.Pseudonymizer.Pseudonymize(new Gateway.Compliance.Pseudonyms.PseudonymKey("t0", GatewayHarness.DentalSecret, GatewayHarness.DentalPractice), value, Gateway.Compliance.Pseudonyms.IdentifierNormalization.Exact);
}

public class OutboxLockTests
{
    [Fact]
    public async Task LockedOutboxDatabase_WhileTheDestinationIsDown_Is503_AndRecoversWhenReleased()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:Storage:BusyTimeoutMs"] = "200" });
        gateway.Upstream.Status = 503;
        using (var locker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(gateway.DataPath, "gateway.db")};Pooling=false"))
        {
            locker.Open();
            using var begin = locker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
            var locked = await gateway.Client().PostAsync("track", Events.ServicePageViewed("locked-1"));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, locked.StatusCode);
            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        gateway.Upstream.Status = 200;
        var retried = await gateway.Client().PostAsync("track", Events.ServicePageViewed("locked-1"));
        Assert.Equal(System.Net.HttpStatusCode.OK, retried.StatusCode);
        await Wait.UntilAsync(() => gateway.Upstream.MessageIds.Contains(OutboxTests.Pseudonym("locked-1")), "delivery after the lock is released");
    }
}
