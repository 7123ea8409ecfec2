using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing;

/// <summary>
/// A small OpenTelemetry collector on loopback: accepts OTLP/HTTP (protobuf) exports at <c>/v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> and keeps every payload as received. Protobuf keeps strings as raw UTF-8,
/// so names and attribute values can be looked for in the bytes (and canaries proven absent from them).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, string address, ConcurrentQueue<(string Path, byte[] Body)> exports)
    {
        _app = app;
        Address = address;
        Exports = exports;
    }

    public string Address { get; }

    /// <summary>(signal path, body) of every export received.</summary>
    public ConcurrentQueue<(string Path, byte[] Body)> Exports { get; }

    public string Text(string path) => string.Join("\n", Exports.Where(e => e.Path == path).Select(e => Encoding.UTF8.GetString(e.Body)));

    public string AllText => string.Join("\n", Exports.Select(e => Encoding.UTF8.GetString(e.Body)));

    public static async Task<OtlpReceiver> StartAsync()
    {
        var app = LoopbackApp.Create();
        var exports = new ConcurrentQueue<(string Path, byte[] Body)>();
        app.MapPost("/v1/{signal}", async (string signal, HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            exports.Enqueue(("/v1/" + signal, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        return new OtlpReceiver(app, await LoopbackApp.StartAsync(app), exports);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
