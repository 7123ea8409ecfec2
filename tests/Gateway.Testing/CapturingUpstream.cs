using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing;

/// <summary>
/// A real HTTP server on loopback standing where the scoring service stands. It records every request it
/// receives (headers and body) and answers with <see cref="Status"/> (200 by default).
/// </summary>
public sealed class CapturingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CapturingUpstream(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>The status to answer ingest requests with.</summary>
    public int Status { get; set; } = 200;

    /// <summary>Answer 400 to any batch holding this message id (a poison event).</summary>
    public string? RefuseMessageId { get; set; }

    /// <summary>A request holding this message id gets 503 (a transient failure of just that request).</summary>
    public string? UnavailableForMessageId { get; set; }

    /// <summary>The problem title of a refusal (what the gateway may keep) and its detail (which it must not).</summary>
    public const string RefusalTitle = "The batch is malformed";

    public const string RefusalDetail = "refused-detail-that-must-not-be-kept";

    /// <summary>What <c>GET /ingest/v1/verticals</c> lists; null answers 404 (a service without that endpoint).</summary>
    public IReadOnlyList<string>? Verticals { get; set; }

    /// <summary>How many readiness probes (YARP's active health checks) arrived.</summary>
    public int HealthProbes => _healthProbes;

    private int _healthProbes;

    /// <summary>A delay before answering (to simulate a slow service).</summary>
    public TimeSpan Delay { get; set; }

    public string Address { get; private set; } = string.Empty;

    /// <summary>Every scrubbed event received, across all batches.</summary>
    public IReadOnlyList<JsonObject> Events =>
        [.. Requests.Where(r => r.Path == "/ingest/v1/batch" && r.Status is >= 200 and < 300)
            .SelectMany(r => JsonNode.Parse(r.Body)!["batch"]!.AsArray().Select(e => e!.AsObject()))];

    public string AllBodies => string.Join("\n", Requests.Select(r => r.Body + "\n" + string.Join("\n", r.Headers.Select(h => h.Key + ": " + h.Value))));

    /// <summary>Message ids received (with duplicates, in arrival order).</summary>
    public IReadOnlyList<string> MessageIds => [.. Events.Select(e => (string)e["messageId"]!)];

    public static async Task<CapturingUpstream> StartAsync(int port = 0)
    {
        var app = LoopbackApp.Create(port);
        var upstream = new CapturingUpstream(app);
        app.MapGet("/health/ready", () =>
        {
            Interlocked.Increment(ref upstream._healthProbes);
            return Results.Ok();
        });
        app.MapGet("/ingest/v1/verticals", () => upstream.Verticals is { } verticals
            ? Results.Json(new { verticals = verticals.Select(v => new { name = v, sha256 = "0" }) })
            : Results.NotFound());
        app.MapPost("/ingest/v1/batch", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (upstream.Delay > TimeSpan.Zero)
            {
                await Task.Delay(upstream.Delay);
            }

            var status = upstream.Status;
            if (upstream.RefuseMessageId is { } poison && body.Contains(poison, StringComparison.Ordinal))
            {
                status = 400;
            }

            if (upstream.UnavailableForMessageId is { } busy && body.Contains(busy, StringComparison.Ordinal))
            {
                status = 503;
            }

            upstream.Requests.Enqueue(new CapturedRequest(http.Request.Path, body,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), status));
            http.Response.StatusCode = status;
            http.Response.ContentType = status == 200 ? "application/json" : "application/problem+json";
            await http.Response.WriteAsync(status == 200 ? """{"accepted":1,"duplicates":0}"""
                : $$"""{"type":"urn:upstream:refused","title":"{{RefusalTitle}}","status":{{status}},"detail":"{{RefusalDetail}}"}""");
        });
        upstream.Address = await LoopbackApp.StartAsync(app) + "/";
        return upstream;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record CapturedRequest(string Path, string Body, IReadOnlyDictionary<string, string> Headers, int Status);
