using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Service.Defaults;

/// <summary>
/// Health endpoints for both services through ASP.NET Core HealthChecks: <c>/health/live</c> (the process
/// answers; no check runs) and <c>/health/ready</c> (every check tagged <see cref="ReadyTag"/>: 200 when all
/// pass, 503 otherwise). The body names each check and, when it fails, why; reasons name components, never data.
/// </summary>
public static class ServiceHealth
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return endpoints;
    }

    /// <summary><c>{"status":"ready"|"not-ready"|"live","checks":{"audit":{"ready":true,"reason":null}}}</c>.</summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var live = http.Request.Path.StartsWithSegments("/health/live");
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = live ? "live" : report.Status == HealthStatus.Healthy ? "ready" : "not-ready",
            checks = report.Entries.ToDictionary(e => e.Key, e => new { ready = e.Value.Status == HealthStatus.Healthy, reason = e.Value.Description }),
        }, JsonSerializerOptions.Web));
    }
}
