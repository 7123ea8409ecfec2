using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Pms.Connectors.Tests.Support;

/// <summary>A real Kestrel server on a free loopback port running one request handler.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler)
    {
        var app = LoopbackApp.Create();
        app.Run(handler);
        return new LoopbackServer(app, new Uri(await LoopbackApp.StartAsync(app)));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
