namespace Gateway.Server.Hosting;

/// <summary>
/// Application logs as compact JSON (console, and a daily file under <c>Gateway:LogPath</c>, default
/// <c>{DataPath}/logs</c>), with trace ids; one request line per request naming the route template, never the URL.
/// The gateway's own log messages name practices, reasons and paths, never event values.
/// </summary>
internal static class GatewayLogging
{
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var dataPath = builder.Configuration["Gateway:DataPath"] ?? new Configuration.GatewayOptions().DataPath;
        var logDirectory = ServiceHost.ResolvePath(builder.Configuration["Gateway:LogPath"] ?? Path.Combine(dataPath, "logs"));
        return builder.AddServiceLogging(logDirectory, "gateway");
    }
}
