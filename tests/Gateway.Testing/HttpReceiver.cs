using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing;

/// <summary>
/// A real HTTP server on loopback standing in for a hand-off destination (a practice's webhook endpoint, Slack,
/// HubSpot, Salesforce), for the scoring service's hand-off tests: it records every request (method, path and query, headers, raw body) and answers with the
/// status <see cref="Respond"/> picks (200 by default).
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private HttpReceiver(WebApplication app)
    {
        _app = app;
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Picks the status of the answer to a request (after it was recorded).</summary>
    public Func<ReceivedRequest, int> Respond { get; set; } = _ => StatusCodes.Status200OK;

    public static async Task<HttpReceiver> StartAsync()
    {
        var app = LoopbackApp.Create();
        var receiver = new HttpReceiver(app);
        app.Run(async context =>
        {
            var request = await ReceivedRequest.ReadAsync(context);
            receiver._requests.Enqueue(request);
            context.Response.StatusCode = receiver.Respond(request);
            await context.Response.WriteAsync(context.Response.StatusCode < 300 ? "ok" : "no");
        });
        receiver.Address = new Uri(await LoopbackApp.StartAsync(app));
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One request a receiver got.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads the request as it arrived: method, raw target, headers (names case-insensitive) and the whole body.</summary>
    public static async Task<ReceivedRequest> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return new ReceivedRequest(
            context.Request.Method,
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync());
    }
}
