using Serilog;
using Serilog.Events;

namespace Gateway.Server.Hosting;

/// <summary>
/// Application logs: console plus a rolling file (Serilog) under <c>{DataPath}/logs</c>. ASP.NET Core's request
/// logging is held at Warning because it writes request URLs, whose query strings can carry PHI.
/// The gateway's own log messages name practices, reasons and paths, never event values.
/// </summary>
internal static class GatewayLogging
{
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var dataPath = builder.Configuration["Gateway:DataPath"] ?? "data/gateway";
        var logDirectory = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Gateway:LogPath"] ?? Path.Combine(dataPath, "logs")));
        var fileLogger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            // As appsettings.json says ("Yarp": "Warning"), which does not reach this Serilog logger: otherwise YARP writes
            // two lines per forwarded request ("Proxying to ...", "Received HTTP/1.1 response 200") to the file.
            .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
            .WriteTo.File(Path.Combine(logDirectory, "gateway-.log"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}")
            .CreateLogger();
        builder.Logging.AddSerilog(fileLogger, dispose: true);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning);
        return builder;
    }
}
