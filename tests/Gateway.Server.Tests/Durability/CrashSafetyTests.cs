using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Compliance.Audit;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Durability;

/// <summary>
/// Under steady load, the gateway process is killed with SIGKILL at random moments and started again on
/// the same data folder. Every event the client got a 2xx for must reach the destination (the scoring service
/// deduplicates by message id), every event the destination received must have a delivery record in the audit
/// log (accounting of disclosures), no event sent once may have two, and the audit chain must still verify.
/// Iterations: 3 by default; set GATEWAY_KILL_ITERATIONS for more (scripts/crash-test.sh runs 22), and
/// GATEWAY_CRASH_REPORT to a file for the counts as JSON.
/// </summary>
public class CrashSafetyTests
{
    [Fact]
    public async Task KilledAtRandom_LosesNoAcknowledgedEvent_AndTheChainVerifies()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("GATEWAY_KILL_ITERATIONS"), out var n) ? n : 3;
        await using var upstream = await CapturingUpstream.StartAsync();
        var setup = new ProcessGatewaySetup("crash-dental", "gw-crash", upstream, new Dictionary<string, string?>
        {
            ["Gateway:Forwarding:TimeoutSeconds"] = "2",
            ["Gateway:Outbox:MinBackoffSeconds"] = "0.2",
            ["Gateway:Outbox:MaxBackoffSeconds"] = "1",
            ["Gateway:Outbox:LeaseSeconds"] = "5",
        });
        var port = GatewayProcess.FreePort();
        var gateway = await GatewayProcess.StartAsync(setup.Settings, port);
        await setup.RecordBaaAsync(gateway.Address);

        var acknowledged = new ConcurrentBag<string>();
        var submissions = new ConcurrentDictionary<string, int>();
        var unacknowledged = new ConcurrentQueue<JsonObject>();
        var next = 0;
        var random = new Random(4242);
        try
        {
            for (var iteration = 0; iteration < iterations; iteration++)
            {
                // Alternate a healthy and a failing destination, so kills hit both direct delivery and the outbox.
                upstream.Status = iteration % 2 == 0 ? 200 : 503;
                using var stop = new CancellationTokenSource();
                var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(() => SendUntilStoppedAsync(setup, gateway.Address, () => Interlocked.Increment(ref next), acknowledged, unacknowledged, submissions, stop.Token))).ToArray();
                await Task.Delay(random.Next(300, 1500));
                gateway.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(senders);

                upstream.Status = 200;
                gateway = await GatewayProcess.StartAsync(setup.Settings, port);
            }

            // Like an SDK, retry what was never acknowledged (same message ids).
            using (var client = setup.Client(gateway.Address))
            {
                while (unacknowledged.TryDequeue(out var batch))
                {
                    foreach (var e in batch["batch"]!.AsArray())
                    {
                        submissions.AddOrUpdate((string)e!["messageId"]!, 1, (_, n) => n + 1);
                    }

                    var response = await client.PostAsync("/v1/batch", Events.Json(batch));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    foreach (var e in batch["batch"]!.AsArray())
                    {
                        acknowledged.Add((string)e!["messageId"]!);
                    }
                }
            }

            var expected = acknowledged.Select(setup.Pseudonym).ToHashSet();
            await Wait.UntilAsync(() => expected.IsSubsetOf(upstream.MessageIds), $"all {expected.Count} acknowledged events delivered", 60);
            Assert.True(expected.Count > 50, $"only {expected.Count} events were acknowledged; the load did not run");
            var delivered = upstream.MessageIds.ToHashSet();
            Assert.True(delivered.SetEquals(expected), $"{delivered.Except(expected).Count()} delivered events were never acknowledged nor retried");

            // Accounting of disclosures: each event the destination received has a delivery record; one sent once has exactly one.
            var sentTimes = submissions.ToDictionary(kv => setup.Pseudonym(kv.Key), kv => kv.Value);
            Dictionary<string, int> records = [];
            await Wait.UntilAsync(() => delivered.All((records = DeliveryRecords(setup.AuditPath)).ContainsKey), "a delivery record for every delivered event", 60);
            var report = new JsonObject
            {
                ["kills"] = iterations,
                ["acknowledged"] = expected.Count,
                ["lostAcknowledged"] = expected.Count(id => !delivered.Contains(id)),
                ["receivedByUpstream"] = delivered.Count,
                ["upstreamReceiptsOfAnEventAlreadyReceived"] = upstream.MessageIds.Count - delivered.Count,
                ["deliveredWithoutRecord"] = delivered.Count(id => !records.ContainsKey(id)),
                ["duplicateRecords"] = records.Count(r => r.Value > sentTimes.GetValueOrDefault(r.Key, 1)),
                ["recordsWithoutDelivery"] = records.Keys.Count(id => !delivered.Contains(id)),
                ["reconciledRecords"] = ReconciledRecords(setup.AuditPath),
            };
            if (Environment.GetEnvironmentVariable("GATEWAY_CRASH_REPORT") is { Length: > 0 } reportFile)
            {
                await File.WriteAllTextAsync(reportFile, report.ToJsonString());
            }

            Assert.True((int)report["lostAcknowledged"]! == 0 && (int)report["deliveredWithoutRecord"]! == 0
                && (int)report["duplicateRecords"]! == 0 && (int)report["recordsWithoutDelivery"]! == 0, report.ToJsonString());
        }
        finally
        {
            gateway.Kill();
        }

        var verification = new AuditChainVerifier().Verify(setup.AuditPath);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
        setup.DeleteData();
    }

    /// <summary>Delivered records per message id (pseudonymized, as the destination receives it) in the audit folder.</summary>
    private static Dictionary<string, int> DeliveryRecords(string audit)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in new AuditReader([audit]).Read(new AuditQuery { Kinds = new HashSet<string>([AuditKinds.Delivery]) }))
        {
            if (record.Delivery is { Delivered: true } delivery)
            {
                foreach (var id in delivery.MessageIds)
                {
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                }
            }
        }

        return counts;
    }

    private static int ReconciledRecords(string audit) =>
        new AuditReader([audit]).Read(new AuditQuery { Kinds = new HashSet<string>([AuditKinds.Delivery]) })
            .Count(r => r.Root.TryGetProperty("reconciled", out var reconciled) && reconciled.ValueKind == System.Text.Json.JsonValueKind.True);

    private static async Task SendUntilStoppedAsync(ProcessGatewaySetup setup, Uri address, Func<int> nextId, ConcurrentBag<string> acknowledged, ConcurrentQueue<JsonObject> unacknowledged,
        ConcurrentDictionary<string, int> submissions, CancellationToken stop)
    {
        using var client = setup.Client(address);
        while (!stop.IsCancellationRequested)
        {
            var events = Enumerable.Range(0, 5).Select(_ =>
            {
                var e = Events.ServicePageViewed("crash-" + nextId());
                e["userId"] = "crash-user-" + (nextId() % 7);
                return e;
            }).ToArray();
            var batch = Events.Batch(events);
            foreach (var e in events)
            {
                submissions.AddOrUpdate((string)e["messageId"]!, 1, (_, n) => n + 1);
            }

            try
            {
                var response = await client.PostAsync("/v1/batch", Events.Json(batch), CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    foreach (var e in events)
                    {
                        acknowledged.Add((string)e["messageId"]!);
                    }

                    continue;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            unacknowledged.Enqueue(batch);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
