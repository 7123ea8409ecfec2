using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Compact;

namespace Service.Defaults;

/// <summary>
/// Logs as compact JSON (one object per line: the rendered message <c>@m</c>, its properties, <c>@tr</c>/<c>@sp</c> trace and span ids) to the console and,
/// when a folder is given, to a daily file. The levels come from <c>Logging:LogLevel</c> of appsettings.json;
/// the categories that write raw URLs never go below Warning. Request logging names the
/// route template, never the request path or query (paths can hold identifiers, queries PHI).
/// </summary>
public static class ServiceLogging
{
    /// <summary>The request-log line: method, route template, status, duration.</summary>
    public const string RequestTemplate = "HTTP {RequestMethod} {RequestRoute} responded {StatusCode} in {Elapsed:0.000} ms";

    private static readonly string[] RawUrlCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.HttpLogging",
    ];

    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder, string? fileDirectory, string filePrefix)
    {
        // Serilog's provider is exempt from Microsoft.Extensions.Logging's filters, so Logging:LogLevel is applied here.
        var levels = builder.Configuration.GetSection("Logging:LogLevel");
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(Level(levels["Default"], LogEventLevel.Information))
            .Enrich.FromLogContext()
            .WriteTo.Console(new RenderedCompactJsonFormatter());
        foreach (var category in levels.GetChildren().Where(c => c.Key != "Default" && !RawUrlCategories.Contains(c.Key)))
        {
            configuration = configuration.MinimumLevel.Override(category.Key, Level(category.Value, LogEventLevel.Information));
        }

        // A floor no setting can lower: these categories write raw URLs (query strings can carry PHI).
        foreach (var category in RawUrlCategories)
        {
            configuration = configuration.MinimumLevel.Override(category, LogEventLevel.Warning);
        }

        if (fileDirectory is not null)
        {
            configuration = configuration.WriteTo.File(new RenderedCompactJsonFormatter(), Path.Combine(fileDirectory, filePrefix + "-.log"),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31);
        }

        var logger = configuration.CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);

        // The same floor for any other provider (a test's capture, a debugger's).
        foreach (var category in RawUrlCategories)
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }

        var diagnostics = new DiagnosticContext(logger);
        builder.Services.AddSingleton(diagnostics);
        builder.Services.AddSingleton<IDiagnosticContext>(diagnostics);
        builder.Services.AddSingleton(new RequestLogger(logger));
        return builder;
    }

    /// <summary>One line per request: route template, status and duration; nothing from the URL itself.</summary>
    public static IApplicationBuilder UseServiceRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<RequestLogger>().Logger;
        var successLevel = Level(app.ApplicationServices.GetRequiredService<IConfiguration>()["Logging:Requests:SuccessLevel"], LogEventLevel.Debug);
        return app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.MessageTemplate = RequestTemplate;
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = (http, _, error) => RequestLevel(http.Response.StatusCode, error, successLevel);
            options.GetMessageTemplateProperties = (http, _, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(http.Request.Method)),
                new LogEventProperty("RequestRoute", new ScalarValue(RouteOf(http))),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });
    }

    /// <summary>
    /// A request that failed is always logged (5xx and exceptions as errors, 4xx as information). A successful one at
    /// <c>Logging:Requests:SuccessLevel</c>, Debug by default: at ingest volume a line per accepted request costs more
    /// than it tells; the audit log records every event and <c>/metrics</c> counts requests by status.
    /// </summary>
    internal static LogEventLevel RequestLevel(int status, Exception? error, LogEventLevel successLevel) => error is not null || status >= 500
        ? LogEventLevel.Error
        : status >= 400 ? LogEventLevel.Information : successLevel;

    private static LogEventLevel Level(string? text, LogEventLevel fallback) => text switch
    {
        "Trace" => LogEventLevel.Verbose,
        "Debug" => LogEventLevel.Debug,
        "Information" => LogEventLevel.Information,
        "Warning" => LogEventLevel.Warning,
        "Error" => LogEventLevel.Error,
        "Critical" or "None" => LogEventLevel.Fatal,
        _ => fallback,
    };

    /// <summary>The matched endpoint's route template (<c>/v1/leads/{subject}</c>), or <c>(unmatched)</c>.</summary>
    public static string RouteOf(HttpContext http) =>
        (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? "/" + template.TrimStart('/') : "(unmatched)";

    private sealed record RequestLogger(Serilog.ILogger Logger);
}
