extern alias cli;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// Three gateway processes (own instance ids, ports and audit folders) on one PostgreSQL schema, one shared Data
/// Protection key table encrypted with one certificate, one encrypted pseudonym secret, and one capturing upstream.
/// Under concurrent load across all three: a revocation recorded through A is enforced by B and C on their next
/// events; the upstream fails for a while so all three queue into the shared outbox, then recovers, and every
/// acknowledged event is delivered exactly once (SKIP LOCKED claims: no duplicate, no loss); afterwards every
/// instance's chain verifies against the checkpoints all three stored in PostgreSQL, through <c>gatewayctl audit verify</c>.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MultiInstanceTests(ITestOutputHelper output)
{
    private const string Practice = "multi-dental";
    private const string AdminKey = "multi-admin-key-0123456789";
    private const string ForwardingToken = "multi-forwarding-token-0123456789";
    private const string RevokedUser = "patient-revokes-77";
    private static readonly byte[] s_secret = SHA256.HashData("multi-instance-pseudonym-secret"u8);
    private static readonly string[] s_instances = ["gw-a", "gw-b", "gw-c"];

    [PostgresFact]
    public async Task ThreeInstances_OnOneDatabase_EnforceOneConsentLedger_DeliverEachEventOnce_AndEveryChainVerifies()
    {
        var watch = Stopwatch.StartNew();
        var root = Path.Combine(Path.GetTempPath(), "gw-multi", Guid.NewGuid().ToString("N"));
        var schema = TestPostgres.NewSchemaName("multi");
        Directory.CreateDirectory(root);
        var (certificate, key) = WriteCertificate(root);
        var secretFile = Path.Combine(root, "pseudonym-m1.secret");
        using (var recipient = X509Certificate2.CreateFromPem(File.ReadAllText(certificate)))
        {
            File.WriteAllText(secretFile, global::Gateway.Compliance.Secrets.EncryptedSecret.Encrypt(Encoding.UTF8.GetBytes(Convert.ToBase64String(s_secret)), recipient));
        }

        await using var upstream = await CapturingUpstream.StartAsync();
        var writeKey = "wk_multi_" + Guid.NewGuid().ToString("N");
        var gateways = new GatewayProcess[3];
        try
        {
            // A first, so it creates the shared key ring; then B and C together, finding it.
            gateways[0] = await StartAsync(0, root, schema, certificate, key, secretFile, writeKey, upstream);
            var rest = await Task.WhenAll(StartAsync(1, root, schema, certificate, key, secretFile, writeKey, upstream), StartAsync(2, root, schema, certificate, key, secretFile, writeKey, upstream));
            (gateways[1], gateways[2]) = (rest[0], rest[1]);
            output.WriteLine($"three instances ready after {watch.Elapsed.TotalSeconds:N1} s");
            Assert.Equal(1, Count(schema, "data_protection_keys WHERE friendly_name LIKE 'key-%'"));
            Assert.DoesNotContain("<masterKey", Scalar<string>(schema, "SELECT xml FROM data_protection_keys LIMIT 1"), StringComparison.Ordinal);

            using (var admin = Admin(gateways[1].Address))
            {
                // Recorded through B, in force for A and C too.
                (await admin.PostAsync($"/admin/v1/practices/{Practice}/baa", Events.Json(new JsonObject
                {
                    ["destination"] = "scoring",
                    ["effectiveFrom"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O"),
                    ["documentReference"] = "contracts/multi.pdf",
                    ["covers"] = new JsonArray("pseudonymous-id", "redacted-text", "url", "date"),
                }))).EnsureSuccessStatusCode();
            }

            // The person's grant arrives with an event through C.
            var acknowledged = new ConcurrentBag<string>();
            using (var client = Client(gateways[2].Address, writeKey))
            {
                var granted = Events.ServicePageViewed("multi-grant");
                granted["userId"] = RevokedUser;
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/track", Events.Json(granted))).StatusCode);
                acknowledged.Add("multi-grant");
            }

            var next = 0;
            var unacknowledged = 0;
            using var stop = new CancellationTokenSource();
            var senders = gateways.SelectMany(g => Enumerable.Range(0, 2).Select(_ => Task.Run(() => SendUntilStoppedAsync(g.Address, writeKey, () => Interlocked.Increment(ref next), acknowledged, () => Interlocked.Increment(ref unacknowledged), stop.Token)))).ToArray();

            // While the load runs: A records the revocation; B's and C's next events for that person are dropped.
            await Task.Delay(800);
            using (var admin = Admin(gateways[0].Address))
            {
                (await admin.PostAsync($"/admin/v1/practices/{Practice}/consent", Events.Json(new JsonObject
                {
                    ["person"] = new JsonObject { ["userId"] = RevokedUser },
                    ["purpose"] = "analytics",
                    ["decision"] = "revoked",
                    ["sourceReference"] = "form:preferences",
                }))).EnsureSuccessStatusCode();
            }

            var afterRevocation = new List<string>();
            foreach (var (gateway, i) in new[] { (gateways[1], 0), (gateways[2], 1), (gateways[1], 2), (gateways[2], 3) })
            {
                using var client = Client(gateway.Address, writeKey);
                var e = Events.ServicePageViewed($"multi-revoked-{i}");
                e["userId"] = RevokedUser;
                ((JsonObject)e["context"]!).Remove("consent");
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/track", Events.Json(e))).StatusCode);
                afterRevocation.Add($"multi-revoked-{i}");
            }

            // The destination fails for a while: every instance queues into the shared outbox, and all of them drain it.
            await Task.Delay(700);
            upstream.Status = 503;
            var queuedPeak = 0L;
            for (var i = 0; i < 25; i++)
            {
                await Task.Delay(100);
                queuedPeak = Math.Max(queuedPeak, Count(schema, "outbox"));
            }

            upstream.Status = 200;
            await Task.Delay(1500);
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            output.WriteLine($"load done after {watch.Elapsed.TotalSeconds:N1} s: {acknowledged.Count} acknowledged, {unacknowledged} not, outbox peak {queuedPeak}");

            var expected = acknowledged.Select(Pseudonym).ToHashSet();
            await Wait.UntilAsync(() => expected.IsSubsetOf(upstream.MessageIds) && Count(schema, "outbox") == 0, $"all {expected.Count} acknowledged events delivered", 40);
            await Task.Delay(1000); // anything delivered twice would arrive by now

            var received = upstream.MessageIds;
            var duplicates = received.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"{duplicates.Count} events were delivered more than once");
            Assert.True(received.ToHashSet().SetEquals(expected), $"{received.Except(expected).Count()} delivered events were never acknowledged");
            Assert.True(expected.Count > 200, $"only {expected.Count} events were acknowledged: the load did not run");
            Assert.True(queuedPeak > 0, "nothing was queued while the destination failed");
            foreach (var revoked in afterRevocation)
            {
                Assert.DoesNotContain(Pseudonym(revoked), received);
            }

            Assert.Equal(0, Count(schema, "dead_letters"));

            // An SDK retrying acknowledged events, through every instance: acknowledged again, never delivered twice.
            var retried = acknowledged.Where(a => char.IsAsciiDigit(a[^1])).Take(10).ToArray();
            foreach (var gateway in gateways)
            {
                using var client = Client(gateway.Address, writeKey);
                var batch = Events.Batch([.. retried.Select(id =>
                {
                    var e = Events.ServicePageViewed(id);
                    e["userId"] = "multi-user-1";
                    return e;
                })]);
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/batch", Events.Json(batch))).StatusCode);
            }

            await Task.Delay(1000);
            Assert.Equal(received.Count, upstream.MessageIds.Count);
        }
        finally
        {
            await Task.WhenAll(gateways.Where(g => g is not null).Select(g => g.StopAsync()));
        }

        // Each instance queued into the shared outbox and each drained some of it (its own audit says so).
        var audits = s_instances.Select(i => Path.Combine(root, i, "audit")).ToArray();
        foreach (var (instance, audit) in s_instances.Zip(audits))
        {
            var deliveries = Deliveries(audit);
            output.WriteLine($"{instance}: queued {deliveries.Queued}, delivered from the outbox {deliveries.FromOutbox}");
            Assert.True(deliveries.Queued > 0, $"{instance} queued nothing");
            Assert.True(deliveries.FromOutbox > 0, $"{instance} delivered nothing from the shared outbox");
            Assert.Equal(10, Directory.EnumerateFiles(audit, "*.jsonl").SelectMany(File.ReadLines)
                .Count(line => JsonNode.Parse(line) is JsonObject r && (string?)r["kind"] == "event" && (string?)r["reason"] == "duplicate"));
        }

        Assert.Equal(s_instances, Scalar<string[]>(schema, "SELECT array_agg(DISTINCT instance ORDER BY instance) FROM audit_checkpoints"));

        // Verified together, through gatewayctl: every chain, against the checkpoints all instances stored in PostgreSQL.
        var args = new List<string> { "audit", "verify" };
        args.AddRange(audits);
        args.AddRange(["--checkpoints-postgres", TestPostgres.ConnectionString, "--schema", schema, "--quiet"]);
        foreach (var instance in s_instances)
        {
            args.AddRange(["--public-key", Gateway.Compliance.Audit.AuditCheckpointKeys.PublicKeyPathFor(GatewayProcess.CheckpointKeyFileFor(Path.Combine(root, instance)))]);
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await cli::Gateway.Cli.GatewayCtl.RunAsync([.. args], new cli::Gateway.Cli.CliConsole(stdout, stderr, TextReader.Null, isTerminal: false));
        output.WriteLine(stdout.ToString());
        Assert.True(exit == 0, stdout + "\n" + stderr);
        Assert.Contains("OK: every chain verified, each covered by signed checkpoints.", stdout.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no signed checkpoint covers", stderr.ToString(), StringComparison.Ordinal);
        output.WriteLine($"total {watch.Elapsed.TotalSeconds:N1} s");

        TestPostgres.DropSchema(schema);
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Task<GatewayProcess> StartAsync(int index, string root, string schema, string certificate, string key, string secretFile, string writeKey, CapturingUpstream upstream)
    {
        var instance = s_instances[index];
        return GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = RepoPaths.Policies,
            ["Gateway:DataPath"] = Path.Combine(root, instance),
            ["Gateway:InstanceId"] = instance,
            ["Gateway:Storage:Provider"] = "postgres",
            ["Gateway:Storage:Postgres:ConnectionString"] = TestPostgres.ConnectionString,
            ["Gateway:Storage:Postgres:Schema"] = schema,
            ["Gateway:DataProtection:CertificatePath"] = certificate,
            ["Gateway:DataProtection:CertificateKeyPath"] = key,
            ["Gateway:Audit:Checkpoints:Store"] = "postgres",
            ["Gateway:Audit:Checkpoints:EverySeconds"] = "1",
            ["Gateway:Forwarding:Token"] = ForwardingToken,
            ["Gateway:Forwarding:TimeoutSeconds"] = "5",
            ["Gateway:Outbox:MinBackoffSeconds"] = "0.2",
            ["Gateway:Outbox:MaxBackoffSeconds"] = "0.5",
            ["Gateway:Outbox:LeaseSeconds"] = "30",
            ["Gateway:Practices:0:Id"] = Practice,
            ["Gateway:Practices:0:Vertical"] = "dental",
            ["Gateway:Practices:0:WriteKeySha256:0"] = Sha256(writeKey),
            ["Gateway:Practices:0:PseudonymKeys:0:Id"] = "m1",
            ["Gateway:Practices:0:PseudonymKeys:0:SecretFile"] = secretFile,
            ["Gateway:Practices:0:PseudonymKeys:0:Active"] = "true",
            ["Gateway:Admin:Keys:0:Name"] = "multi-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = Sha256(AdminKey),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = upstream.Address,
            ["ReverseProxy:Clusters:scoring:HealthCheck:Active:Enabled"] = "false",
        }, GatewayProcess.FreePort());
    }

    private static async Task SendUntilStoppedAsync(Uri address, string writeKey, Func<int> nextId, ConcurrentBag<string> acknowledged, Action notAcknowledged, CancellationToken stop)
    {
        using var client = Client(address, writeKey);
        while (!stop.IsCancellationRequested)
        {
            var events = Enumerable.Range(0, 5).Select(_ =>
            {
                var id = nextId();
                var e = Events.ServicePageViewed($"multi-{id}");
                e["userId"] = "multi-user-" + (id % 13);
                return e;
            }).ToArray();
            try
            {
                var response = await client.PostAsync("/v1/batch", Events.Json(Events.Batch(events)), CancellationToken.None);
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

            // Not acknowledged: an SDK would retry; such events are not expected at the destination.
            notAcknowledged();
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>Delivery records of one instance's audit: batches it queued, and outbox batches it delivered.</summary>
    private static (int Queued, int FromOutbox) Deliveries(string auditFolder)
    {
        var queued = 0;
        var fromOutbox = 0;
        foreach (var file in Directory.EnumerateFiles(auditFolder, "*.jsonl"))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (JsonNode.Parse(line) is not JsonObject record || (string?)record["kind"] != "delivery")
                {
                    continue;
                }

                if (record["queued"] is not null)
                {
                    queued++;
                }

                if ((string?)record["attempt"] == "outbox" && (bool?)record["delivered"] == true)
                {
                    fromOutbox++;
                }
            }
        }

        return (queued, fromOutbox);
    }

    /// <summary>A self-signed RSA certificate and its key, as PEM files: the Data Protection certificate all instances share.</summary>
    private static (string Certificate, string Key) WriteCertificate(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=multi-instance data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certificatePath = Path.Combine(folder, "dataprotection.crt");
        var keyPath = Path.Combine(folder, "dataprotection.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private static long Count(string schema, string table) => Scalar<long>(schema, $"SELECT COUNT(*) FROM {table}");

    private static T Scalar<T>(string schema, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { SearchPath = schema }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    private static HttpClient Client(Uri address, string writeKey)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return client;
    }

    private static HttpClient Admin(Uri address)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private static string Pseudonym(string messageId) =>
        global::Gateway.Compliance.Pseudonyms.Pseudonymizer.Pseudonymize(new global::Gateway.Compliance.Pseudonyms.PseudonymKey("m1", s_secret, Practice), messageId, global::Gateway.Compliance.Pseudonyms.IdentifierNormalization.Exact);

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
