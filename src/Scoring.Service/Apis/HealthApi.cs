using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Scoring.Service.Apis;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (the store answers, configuration loaded). No auth, no data.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
