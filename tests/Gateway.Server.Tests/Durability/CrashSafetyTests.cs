using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
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
    private const string Practice = "crash-dental";
    private static readonly byte[] s_secret = SHA256.HashData("crash-test-secret"u8);

    [Fact]
    public async Task KilledAtRandom_LosesNoAcknowledgedEvent_AndTheChainVerifies()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("GATEWAY_KILL_ITERATIONS"), out var n) ? n : 3;
        var dataPath = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "data");
        await using var upstream = await CapturingUpstream.StartAsync();
        var writeKey = "wk_crash_" + Guid.NewGuid().ToString("N");
        var port = GatewayProcess.FreePort();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = RepoPaths.Policies,
            ["Gateway:DataPath"] = dataPath,
            ["Gateway:InstanceId"] = "gw-crash",
            ["Gateway:Forwarding:Token"] = "crash-forwarding-token-0123456789",
            ["Gateway:Forwarding:TimeoutSeconds"] = "2",
            ["Gateway:Outbox:MinBackoffSeconds"] = "0.2",
            ["Gateway:Outbox:MaxBackoffSeconds"] = "1",
            ["Gateway:Outbox:LeaseSeconds"] = "5",
            ["Gateway:Practices:0:Id"] = Practice,
            ["Gateway:Practices:0:Vertical"] = "dental",
            ["Gateway:Practices:0:WriteKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(writeKey))),
            ["Gateway:Practices:0:PseudonymKeys:0:Id"] = "c1",
            ["Gateway:Practices:0:PseudonymKeys:0:Secret"] = Convert.ToBase64String(s_secret),
            ["Gateway:Practices:0:PseudonymKeys:0:Active"] = "true",
            ["Gateway:Admin:Keys:0:Name"] = "crash-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GatewayHarness.AdminKey))),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = upstream.Address,
            ["ReverseProxy:Clusters:scoring:HealthCheck:Active:Enabled"] = "false",
        };

        var gateway = await GatewayProcess.StartAsync(settings, port);
        await RecordBaaAsync(gateway.Address);

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
                var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(() => SendUntilStoppedAsync(gateway.Address, writeKey, () => Interlocked.Increment(ref next), acknowledged, unacknowledged, submissions, stop.Token))).ToArray();
                await Task.Delay(random.Next(300, 1500));
                gateway.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(senders);

                upstream.Status = 200;
                gateway = await GatewayProcess.StartAsync(settings, port);
            }

            // Like an SDK, retry what was never acknowledged (same message ids).
            using (var client = Client(gateway.Address, writeKey))
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

            var expected = acknowledged.Select(Pseudonym).ToHashSet();
            await Wait.UntilAsync(() => expected.IsSubsetOf(upstream.MessageIds), $"all {expected.Count} acknowledged events delivered", 60);
            Assert.True(expected.Count > 50, $"only {expected.Count} events were acknowledged; the load did not run");
            var delivered = upstream.MessageIds.ToHashSet();
            Assert.True(delivered.SetEquals(expected), $"{delivered.Except(expected).Count()} delivered events were never acknowledged nor retried");

            // Accounting of disclosures: each event the destination received has a delivery record; one sent once has exactly one.
            var sentTimes = submissions.ToDictionary(kv => Pseudonym(kv.Key), kv => kv.Value);
            Dictionary<string, int> records = [];
            await Wait.UntilAsync(() => delivered.All((records = DeliveryRecords(Path.Combine(dataPath, "audit"))).ContainsKey), "a delivery record for every delivered event", 60);
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
                ["reconciledRecords"] = ReconciledRecords(Path.Combine(dataPath, "audit")),
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

        var verification = new AuditChainVerifier().Verify(Path.Combine(dataPath, "audit"));
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
        try
        {
            Directory.Delete(Path.GetDirectoryName(dataPath)!, recursive: true);
        }
        catch (IOException)
        {
        }
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

    private static async Task SendUntilStoppedAsync(Uri address, string writeKey, Func<int> nextId, ConcurrentBag<string> acknowledged, ConcurrentQueue<JsonObject> unacknowledged,
        ConcurrentDictionary<string, int> submissions, CancellationToken stop)
    {
        using var client = Client(address, writeKey);
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

    private static HttpClient Client(Uri address, string writeKey)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return client;
    }

    private static async Task RecordBaaAsync(Uri address)
    {
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHarness.AdminKey);
        var response = await admin.PostAsync($"/admin/v1/practices/{Practice}/baa", Events.Json(new JsonObject
        {
            ["destination"] = "scoring",
            ["effectiveFrom"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O"),
            ["documentReference"] = "contracts/crash.pdf",
            ["covers"] = new JsonArray([.. GatewayHarness.AllPhiClasses.Select(c => (JsonNode?)c)]),
        }));
        response.EnsureSuccessStatusCode();
    }

    private static string Pseudonym(string messageId) =>
        Gateway.Compliance.Pseudonyms.Pseudonymizer.Pseudonymize(new Gateway.Compliance.Pseudonyms.PseudonymKey("c1", s_secret, Practice), messageId, Gateway.Compliance.Pseudonyms.IdentifierNormalization.Exact);
}
