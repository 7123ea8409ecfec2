using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Pms.Connectors.Tests.Support;

/// <summary>
/// The gateway's batch endpoint on loopback: checks the write key, records every batch it accepted, and answers the
/// status <see cref="Respond"/> picks (200 by default; 400 refuses the events <see cref="RefuseEvent"/> picks).
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    public const string WriteKey = "wk_test_pms_0123456789";

    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<JsonObject> _accepted = new();

    private FakeGateway(LoopbackServer server) => _server = server;

    public Uri Address => _server.Address;

    /// <summary>Status for the n-th batch request (1-based); 200 accepts the batch.</summary>
    public Func<int, int> Respond { get; set; } = _ => 200;

    /// <summary>Events answered as refused (400 invalid-events) while the others are accepted.</summary>
    public Func<JsonObject, bool> RefuseEvent { get; set; } = _ => false;

    /// <summary>Batch requests (1-based) whose events are accepted but whose answer is lost (503 after accepting).</summary>
    public Func<int, bool> LoseAnswer { get; set; } = _ => false;

    public int BatchRequests { get; private set; }

    /// <summary>Every event the gateway accepted, in order.</summary>
    public IReadOnlyList<JsonObject> Accepted => [.. _accepted];

    /// <summary>Every request body received, raw (what left the connector).</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    public static async Task<FakeGateway> StartAsync()
    {
        FakeGateway? fake = null;
        var server = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context));
        fake = new FakeGateway(server);
        return fake;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":"));
        if (context.Request.Path != "/v1/batch" || context.Request.Headers.Authorization.ToString() != expected)
        {
            context.Response.StatusCode = 401;
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Bodies.Enqueue(body);
        var status = Respond(++BatchRequests);
        if (status != 200)
        {
            context.Response.StatusCode = status;
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = "0";
            }

            return;
        }

        var batch = JsonNode.Parse(body)!["batch"]!.AsArray();
        var errors = new JsonArray();
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i]!.AsObject();
            if (RefuseEvent(e))
            {
                errors.Add(new JsonObject { ["index"] = i, ["reason"] = "schema-invalid", ["quarantined"] = true });
            }
            else
            {
                _accepted.Enqueue(e);
            }
        }

        if (LoseAnswer(BatchRequests))
        {
            context.Response.StatusCode = 503;
            return;
        }

        if (errors.Count > 0)
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync(new JsonObject { ["type"] = "urn:gateway:problem:invalid-events", ["errors"] = errors }.ToJsonString());
            return;
        }

        await context.Response.WriteAsync("{\"success\":true}");
    }
}
