using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Ingest;

public class IngestApiTests
{
    [Fact]
    public async Task Track_IsScrubbedAndForwarded_WithSuccessResponse()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("track", Events.ServicePageViewed());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"success":true}""", await response.Content.ReadAsStringAsync());
        var request = Assert.Single(gateway.Upstream.Requests);
        Assert.Equal("Bearer test-forwarding-token-0123456789abcdef", request.Headers["Authorization"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(GatewayHarness.DentalPractice, (string?)body["practice"]);
        Assert.Equal("dental", (string?)body["vertical"]);
        Assert.Equal("2026.11.0", (string?)body["policy"]!["version"]);
        var e = Assert.Single(body["batch"]!.AsArray())!;
        Assert.Equal("Service Page Viewed", (string?)e["event"]);
        Assert.StartsWith("t0:", (string?)e["userId"]);
    }

    [Fact]
    public async Task ClientHeaders_NeverReachTheDestination()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var client = gateway.Client();
        client.DefaultRequestHeaders.Add("X-Patient-Email", "canary-header@example.com");
        client.DefaultRequestHeaders.Add("Cookie", "session=canary-cookie");
        await client.PostAsync("track", Events.ServicePageViewed());
        var request = Assert.Single(gateway.Upstream.Requests);
        Assert.DoesNotContain(gateway.DentalKey, gateway.Upstream.AllBodies);
        Assert.DoesNotContain("canary", gateway.Upstream.AllBodies);
        Assert.False(request.Headers.ContainsKey("X-Patient-Email"));
        Assert.False(request.Headers.ContainsKey("Cookie"));
    }

    [Theory]
    [InlineData("identify", """{"userId":"u1","context":{"consent":{"categoryPreferences":{"Analytics":true}}},"traits":{"email":"a@b.com","patient_status":"new"}}""")]
    [InlineData("page", """{"userId":"u1","context":{"consent":{"categoryPreferences":{"Analytics":true}}},"properties":{"path":"/services/implants","service_line":"implants"}}""")]
    [InlineData("alias", """{"userId":"u1","previousId":"anon-1","context":{"consent":{"categoryPreferences":{"Analytics":true}}}}""")]
    [InlineData("track", """{"userId":"u1","event":"Pricing Page Viewed","context":{"consent":{"categoryPreferences":{"Analytics":true}}},"properties":{"service_line":"implants"}}""")]
    public async Task SingleEventEndpoints_ImplyTheirType(string endpoint, string body)
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("/v1/" + endpoint, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(endpoint, (string?)Assert.Single(gateway.Upstream.Events)["type"]);
    }

    [Theory]
    [InlineData("screen")]
    [InlineData("group")]
    public async Task EventTypesThePolicyDoesNotList_AreDroppedWithAudit_And200(string endpoint)
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("/v1/" + endpoint, new StringContent("""{"userId":"u1","name":"x","groupId":"g"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(gateway.Upstream.Requests);
        Assert.Contains(gateway.AuditRecords(), r => (string?)r["outcome"] == "dropped" && (string?)r["reason"] == "unlisted-event-type");
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("import")]
    public async Task Batch_ForwardsAllEvents_InOneRequest(string endpoint)
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync(endpoint, Events.Batch(Events.ServicePageViewed(), Events.ServicePageViewed(), Events.ServicePageViewed()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(gateway.Upstream.Requests);
        Assert.Equal(3, gateway.Upstream.Events.Count);
    }

    [Fact]
    public async Task WriteKey_InTheBody_IsAccepted()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var batch = Events.Batch(Events.ServicePageViewed());
        batch["writeKey"] = gateway.DentalKey;
        var response = await gateway.AnonymousClient().PostAsync("batch", batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(gateway.DentalKey, gateway.Upstream.AllBodies);
    }

    [Fact]
    public async Task UnknownWriteKey_Is401_NothingForwarded_AndTheFailureIsAuditedWithoutTheKey()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var client = gateway.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("wk_canary_guess:"u8.ToArray()));
        var response = await client.PostAsync("track", Events.ServicePageViewed());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(gateway.Upstream.Requests);
        await Task.Delay(300);
        Assert.Contains(gateway.AuditRecords(), r => (string?)r["kind"] == "auth-failure" && (string?)r["reason"] == "unknown-write-key");
        Assert.DoesNotContain("wk_canary_guess", gateway.ReadAllAuditAndLogs());
    }

    [Fact]
    public async Task MissingWriteKey_Is401()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.AnonymousClient().PostAsync("track", Events.ServicePageViewed());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(gateway.Upstream.Requests);
    }

    [Fact]
    public async Task Gzip_IsAccepted()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Events.Batch(Events.ServicePageViewed(), Events.ServicePageViewed()).ToJsonString());
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(bytes);
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await gateway.Client().PostAsync("/v1/batch", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, gateway.Upstream.Events.Count);
    }

    [Fact]
    public async Task GzipBomb_IsStoppedAtTheBatchLimit_With413()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 20; i++)
            {
                await gzip.WriteAsync(zeros);
            }
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await gateway.Client().PostAsync("/v1/batch", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task OversizedEvent_Is413_AndNothingInTheRequestIsForwarded()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var big = Events.Track("Appointment Requested", new JsonObject { ["service_line"] = "implants", ["notes"] = new string('x', 33 * 1024) });
        var response = await gateway.Client().PostAsync("batch", Events.Batch(Events.ServicePageViewed(), big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(gateway.Upstream.Requests);
    }

    [Fact]
    public async Task OversizedSingleEventBody_Is413()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var big = Events.Track("Appointment Requested", new JsonObject { ["service_line"] = "implants", ["notes"] = new string('x', 40 * 1024) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await gateway.Client().PostAsync("track", big)).StatusCode);
    }

    [Fact]
    public async Task OversizedBatch_Is413()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var events = Enumerable.Range(0, 30).Select(_ => Events.Track("Appointment Requested", new JsonObject { ["service_line"] = "implants", ["notes"] = new string('y', 20 * 1024) })).ToArray();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await gateway.Client().PostAsync("batch", Events.Batch(events))).StatusCode);
        Assert.Empty(gateway.Upstream.Requests);
    }

    [Theory]
    [InlineData("""{"userId":"u1","event":"Service Page Viewed",""", "malformed-json")]
    [InlineData("""{"userId":"u1","userId":"u2","event":"Service Page Viewed"}""", "malformed-json")]
    public async Task MalformedJson_Is400_WithAProblemThatQuotesNothing(string body, string type)
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("/v1/track", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:gateway:problem:" + type, (string?)problem["type"]);
        Assert.DoesNotContain("u1", problem.ToJsonString());
        Assert.DoesNotContain("u2", problem.ToJsonString());
    }

    [Fact]
    public async Task UnsupportedContentType_Is415()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var response = await gateway.Client().PostAsync("/v1/track", new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task InvalidEvent_InABatch_Is400_NamingIndexPathAndRule_WhileTheOthersAreForwarded()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var invalid = Events.Track("Pricing Page Viewed", new JsonObject { ["service_line"] = "Jane Roe <jane@canary.example>" });
        var response = await gateway.Client().PostAsync("batch", Events.Batch(Events.ServicePageViewed(), invalid, Events.ServicePageViewed()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(2, (int?)problem["accepted"]);
        var error = problem["errors"]![0]!;
        Assert.Equal(1, (int?)error["index"]);
        Assert.Equal("schema-invalid", (string?)error["reason"]);
        Assert.Equal("properties.service_line", (string?)error["violations"]![0]!["path"]);
        Assert.Equal("pattern-mismatch", (string?)error["violations"]![0]!["rule"]);
        Assert.DoesNotContain("Jane", text);
        Assert.Equal(2, gateway.Upstream.Events.Count);
    }

    [Fact]
    public async Task AuditRecord_IsWrittenBeforeTheEventIsForwarded()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        // A first event warms the pipeline up (JIT, instrumentation), so the 150 ms below measure order, not start-up.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed("msg-warm-up"))).StatusCode);
        var before = gateway.Upstream.Requests.Count;
        gateway.Upstream.Delay = TimeSpan.FromMilliseconds(300);
        var messageId = "msg-order-check";
        var send = gateway.Client().PostAsync("track", Events.ServicePageViewed(messageId));
        await Task.Delay(150);
        Assert.Equal(before, gateway.Upstream.Requests.Count);
        Assert.Equal(2, gateway.AuditRecords().Count(r => (string?)r["kind"] == "event" && (string?)r["outcome"] == "forward"));
        Assert.Equal(HttpStatusCode.OK, (await send).StatusCode);
    }

    [Fact]
    public async Task EventRecords_CarryPolicyVersionHashSubjectAndActions()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.Client().PostAsync("track", Events.ServicePageViewed());
        var record = Assert.Single(gateway.AuditRecords(), r => (string?)r["kind"] == "event");
        Assert.Equal(GatewayHarness.DentalPractice, (string?)record["practice"]);
        Assert.Equal("dental", (string?)record["vertical"]);
        Assert.Equal("2026.11.0", (string?)record["policy"]!["version"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)record["policy"]!["sha256"]);
        Assert.StartsWith("t0:", (string?)record["subject"]);
        Assert.Equal("track:Service Page Viewed", (string?)record["eventType"]);
        Assert.Equal("gw-test", (string?)record["instance"]);
        Assert.Contains("properties.service_line", record["fields"]!["keep"]!.ToJsonString());
    }

    [Fact]
    public async Task Ingest_NeverAnswersWithARedirect()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        foreach (var path in new[] { "/v1/track/", "/v1/TRACK", "/v1/batch?x=1", "/v1/unknown" })
        {
            var response = await gateway.Client().PostAsync(path, Events.Json(Events.ServicePageViewed()));
            Assert.False((int)response.StatusCode is >= 300 and < 400, $"{path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Health_Live_AndReady()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var client = gateway.AnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"audit\"", await ready.Content.ReadAsStringAsync());
    }
}
