using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Compliance.Audit;
using Gateway.Server.Tests.Support;
using Gateway.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

using Gateway.Testing;

namespace Gateway.Server.Tests.Ingest;

/// <summary>
/// Property-based tests through real HTTP: random batches and single events (valid fixture events, mutated ones,
/// arbitrary JSON; sometimes byte-corrupted, gzipped or with a BOM) against one real gateway. The answer is always a
/// status Segment SDKs handle as intended, 200 only when every event was forwarded or dropped by policy (the
/// upstream and the audit agree), and no canary reaches the upstream, the audit, the logs or a response.
/// </summary>
public class IngestPropertyTests(IngestPropertyTests.Gateway fixture) : IClassFixture<IngestPropertyTests.Gateway>
{
    private static readonly int[] s_allowed = [200, 400, 401, 413, 415, 429];

    private static readonly JsonDocumentOptions s_gatewayParsing = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    private static readonly string[] s_singleEndpoints = ["track", "identify", "page", "alias"];

    public sealed class Gateway : GatewayFixture
    {
        protected override Dictionary<string, string?> Settings => new() { ["Gateway:RateLimit:Enabled"] = "false" };
    }

    /// <summary>One generated request.</summary>
    public sealed record Request(string Endpoint, byte[] Body, string ContentType, bool Gzip, IReadOnlyList<string> Canaries, string Description)
    {
        public override string ToString() =>
            $"{Endpoint} {ContentType}{(Gzip ? " gzip" : string.Empty)} [{Description}] {Encoding.UTF8.GetString(Body)[..Math.Min(Body.Length, 1200)]}";
    }

    private static Gen<Request> Requests()
    {
        var fixtures = HostileJson.FixtureInputs(Path.Combine(RepoPaths.Policies, "dental"));
        var neverKept = NeverKept();
        var item = Gen.Frequency(
            (5, Gen.Elements([.. fixtures]).Select(f => new HostileJson.Case(f.ToJsonString(), [], "fixture"))),
            (3, HostileJson.MutatedEvent(fixtures, neverKept)),
            (1, HostileJson.ArbitraryEvent));
        var body = Gen.Frequency(
            (2, Gen.Choose(1, 6).SelectMany(n => Gen.ListOf(item, n)).Select(items => (
                Endpoint: "batch",
                Json: "{\"batch\":[" + string.Join(",", items.Select(i => i.Json)) + "],\"sentAt\":\"2026-11-22T10:00:01.000Z\"}",
                Canaries: (IReadOnlyList<string>)[.. items.SelectMany(i => i.Canaries)],
                Description: string.Join(" / ", items.Select(i => i.Description))))),
            (1, item.Select(i => (Endpoint: EndpointFor(i.Json), i.Json, i.Canaries, i.Description))));
        var edit = Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255));
        return from b in body
               from transform in Gen.Frequency((12, Gen.Constant("none")), (2, Gen.Constant("corrupt")), (2, Gen.Constant("gzip")), (1, Gen.Constant("bom")))
               from edits in Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(edit, n))
               from contentType in Gen.Frequency((14, Gen.Constant("application/json")), (2, Gen.Constant("text/plain")), (1, Gen.Constant("application/xml")))
               select Build(b.Endpoint, b.Json, b.Canaries, b.Description, transform, edits, contentType);
    }

    /// <summary>The single-event endpoint an SDK would use for this event: its own type when it has a usable one.</summary>
    private static string EndpointFor(string json)
    {
        try
        {
            var type = JsonNode.Parse(json) is JsonObject o && o["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
            return type is not null && s_singleEndpoints.Contains(type) ? type : "track";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "track";
        }
    }

    private static Request Build(string endpoint, string json, IReadOnlyList<string> canaries, string description, string transform, IEnumerable<(int, int)> edits, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (transform)
        {
            case "corrupt":
                var list = bytes.ToList();
                foreach (var (position, value) in edits)
                {
                    list[position % list.Count] = (byte)value;
                }

                bytes = [.. list];
                break;
            case "bom":
                bytes = [0xEF, 0xBB, 0xBF, .. bytes];
                break;
            case "gzip":
                using (var compressed = new MemoryStream())
                {
                    using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gzip.Write(bytes);
                    }

                    bytes = compressed.ToArray();
                }

                break;
        }

        return new Request(endpoint, bytes, contentType, transform == "gzip", canaries, transform + ": " + description);
    }

    /// <summary>Dotted paths the dental policy drops or pseudonymizes in every event type.</summary>
    private static IReadOnlyList<string> NeverKept()
    {
        var policy = new global::Gateway.Compliance.Policies.PolicyLoader().Load(Path.Combine(RepoPaths.Policies, "dental")).Policy!;
        var rules = policy.EventTypes.SelectMany(t => t.Rules).ToList();
        var forwarding = rules.Where(r => r.Operator.Action is not ("drop" or "hmac")).Select(r => r.Path.Text).ToHashSet(StringComparer.Ordinal);
        return [.. rules.Where(r => r.Operator.Action is "drop" or "hmac").Select(r => r.Path.Text).Where(p => !forwarding.Contains(p)).Distinct().Order(StringComparer.Ordinal), "messageId"];
    }

    [Fact]
    public void RandomRequests_AreAnsweredAsSegmentSdksExpect_AndLeakNoCanary()
    {
        var gateway = fixture.Harness;
        var statuses = new Dictionary<int, int>();
        var property = Prop.ForAll(Arb.From(Requests()), request =>
        {
            var status = SendAndCheckAsync(gateway, request).GetAwaiter().GetResult();
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(50), property);

        // Not vacuous: some requests are accepted whole, some partly rejected.
        Assert.True(statuses.GetValueOrDefault(200) >= 3, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(statuses.GetValueOrDefault(400) >= 3, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
    }

    private static async Task<int> SendAndCheckAsync(GatewayHarness gateway, Request request)
    {
        var recordsBefore = EventRecords(gateway).Count;
        var forwardedBefore = gateway.Upstream.Events.Count;

        using var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        if (request.Gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        using var client = gateway.Client();
        client.Timeout = TimeSpan.FromSeconds(15);
        using var response = await client.PostAsync("/v1/" + request.Endpoint, content);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(status, s_allowed);

        await gateway.Services.GetRequiredService<IAuditLog>().AppendAsync([Encoding.UTF8.GetBytes("""{"kind":"test-flush"}""")]);
        var records = EventRecords(gateway).Skip(recordsBefore).ToList();
        var forwarded = gateway.Upstream.Events.Count - forwardedBefore;
        var problem = status == 200 ? null : JsonNode.Parse(body);
        if (status == 200)
        {
            // Every event of the request was decided, and none rejected: forwarded (and received) or dropped by policy.
            Assert.Equal(EventCount(request), records.Count);
            Assert.All(records, r => Assert.Contains((string?)r["outcome"], new[] { "forward", "dropped" }));
            Assert.Equal(records.Count(r => (string?)r["outcome"] == "forward"), forwarded);
        }
        else if ((string?)problem!["type"] == "urn:gateway:problem:invalid-events")
        {
            var errors = problem["errors"]!.AsArray();
            Assert.NotEmpty(errors);
            Assert.Equal(records.Count(r => (string?)r["outcome"] == "rejected"), errors.Count);
            Assert.Equal(records.Count - errors.Count, (int?)problem["accepted"]);
            Assert.Equal(records.Count(r => (string?)r["outcome"] == "forward"), forwarded);
        }
        else
        {
            // Refused as a whole (malformed, too large, unsupported): nothing was decided or forwarded.
            Assert.Empty(records);
            Assert.Equal(0, forwarded);
        }

        var answered = body + string.Join("\n", response.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value)));
        var disk = gateway.ReadAllAuditAndLogs();
        var upstream = gateway.Upstream.AllBodies;
        foreach (var canary in request.Canaries)
        {
            Assert.False(upstream.Contains(canary, StringComparison.Ordinal), $"{canary} forwarded");
            Assert.False(disk.Contains(canary, StringComparison.Ordinal), $"{canary} in the audit or logs");
            Assert.False(answered.Contains(canary, StringComparison.Ordinal), $"{canary} in the response");
        }

        return status;
    }

    private static List<JsonObject> EventRecords(GatewayHarness gateway) =>
        [.. gateway.AuditRecords().Where(r => (string?)r["kind"] == "event")];

    /// <summary>How many events the gateway sees in an accepted request (parsed as it parses).</summary>
    private static int EventCount(Request request)
    {
        var bytes = request.Body;
        if (request.Gzip)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            bytes = plain.ToArray();
        }

        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        using var document = JsonDocument.Parse(span.ToArray(), s_gatewayParsing);
        return request.Endpoint == "batch" ? document.RootElement.GetProperty("batch").GetArrayLength() : 1;
    }
}
