using Yarp.ReverseProxy.Configuration;

namespace Gateway.LoadBench;

/// <summary>
/// Bare YARP: every request passed through to the upstream unchanged, no processing. The same YARP build
/// and ASP.NET Core host as the gateway, so the difference to the gateway is the gateway's own work.
/// </summary>
internal static class BareProxy
{
    public static int Run(int port, string upstream)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**catch-all}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["upstream-1"] = new() { Address = upstream } } }]);
        var app = builder.Build();
        app.MapGet("/health/ready", () => Results.Ok());
        app.MapReverseProxy();
        app.Run();
        return 0;
    }
}
