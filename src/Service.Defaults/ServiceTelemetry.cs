using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Service.Defaults;

/// <summary>
/// OpenTelemetry metrics and traces for a service: ASP.NET Core, HttpClient and runtime instrumentation plus the
/// service's own meters and activity sources; W3C trace context in and out. Metrics are scrapeable in Prometheus
/// format (<see cref="MapServiceMetrics"/>); both signals are exported by OTLP when <c>Telemetry:Otlp:Endpoint</c>
/// (or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is set, and spans are recorded only then.
/// No PHI in any attribute: server spans carry the route template as <c>url.path</c>, never the path itself,
/// and neither the query nor the user agent (an identifier under the HHS tracking guidance) is kept.
/// </summary>
public static class ServiceTelemetry
{
    public const string SectionName = "Telemetry";

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder, string serviceName, IReadOnlyList<string> meters, IReadOnlyList<string> activitySources)
    {
        var settings = builder.Configuration.GetSection(SectionName).Get<TelemetrySettings>() ?? new TelemetrySettings();
        var endpoint = settings.Otlp.Endpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var protocol = string.Equals(settings.Otlp.Protocol ?? builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "grpc", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.Grpc
            : OtlpExportProtocol.HttpProtobuf;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: settings.InstanceId));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. meters])
                .AddPrometheusExporter();
            if (endpoint is not null)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = Signal(endpoint, protocol, "v1/metrics");
                    exporter.Protocol = protocol;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricExportIntervalMilliseconds;
                });
            }
        });
        if (endpoint is null)
        {
            // Spans nobody collects are not recorded (ASP.NET Core still gives each request a trace id for the logs).
            return builder;
        }

        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource([.. activitySources])
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.RecordException = false;
                    options.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health");
                    options.EnrichWithHttpResponse = (activity, response) => WithoutRequestValues(activity, response.HttpContext);
                })
                .AddHttpClientInstrumentation(options => options.RecordException = false)
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = Signal(endpoint, protocol, "v1/traces");
                    exporter.Protocol = protocol;
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = settings.TraceExportDelayMilliseconds;
                });
        });
        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus text format. With <paramref name="port"/> it answers only on that port
    /// (the admin port, never the public one); it needs no key, and holds counts by practice, vertical,
    /// destination, outcome and reason only.
    /// </summary>
    public static IEndpointConventionBuilder MapServiceMetrics(this IEndpointRouteBuilder endpoints, int? port = null)
    {
        var metrics = endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return port is { } p ? metrics.RequireHost($"*:{p}") : metrics;
    }

    private static void WithoutRequestValues(Activity activity, HttpContext http)
    {
        activity.SetTag("url.path", ServiceLogging.RouteOf(http));
        activity.SetTag("url.query", null);
        activity.SetTag("user_agent.original", null);
        activity.SetTag("client.address", null);
    }

    private static Uri Signal(string endpoint, OtlpExportProtocol protocol, string path) =>
        protocol == OtlpExportProtocol.Grpc ? new Uri(endpoint) : new Uri(endpoint.TrimEnd('/') + "/" + path);

    /// <summary>The <c>Telemetry</c> section.</summary>
    public sealed record TelemetrySettings
    {
        /// <summary>Names this instance in the exported resource (<c>service.instance.id</c>).</summary>
        public string? InstanceId { get; init; }

        public OtlpSettings Otlp { get; init; } = new();

        /// <summary>How often metrics are pushed by OTLP (Prometheus scrapes whenever it likes).</summary>
        public int MetricExportIntervalMilliseconds { get; init; } = 60_000;

        /// <summary>How long finished spans wait to be exported in a batch.</summary>
        public int TraceExportDelayMilliseconds { get; init; } = 5_000;
    }

    /// <summary>Where to export: a collector's base URL (<c>http://collector:4318</c> for OTLP/HTTP, <c>:4317</c> for gRPC).</summary>
    public sealed record OtlpSettings
    {
        public string? Endpoint { get; init; }

        /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
        public string? Protocol { get; init; }
    }
}
