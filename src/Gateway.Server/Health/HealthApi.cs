using System.Text.Json;
using Gateway.Compliance.Audit;
using Gateway.Server.Policies;

namespace Gateway.Server.Health;

/// <summary>
/// Liveness (the process answers) and readiness (the gateway would not fail closed right now: policies
/// loaded, audit writable). A load balancer stops sending traffic while readiness is false.
/// </summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Json(new { status = "live" }));
        endpoints.MapGet("/health/ready", (IEnumerable<IReadinessCheck> checks) =>
        {
            var results = checks.Select(c => (c.Name, Ready: c.IsReady(out var reason), Reason: reason)).ToList();
            var ready = results.All(r => r.Ready);
            return Results.Json(
                new
                {
                    status = ready ? "ready" : "not-ready",
                    checks = results.ToDictionary(r => r.Name, r => new { ready = r.Ready, reason = r.Reason }),
                },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}

/// <summary>One condition the gateway needs to be ready. Reasons name the component, never data.</summary>
internal interface IReadinessCheck
{
    string Name { get; }

    bool IsReady(out string? reason);
}

internal sealed class AuditReadinessCheck(IAuditLog audit) : IReadinessCheck
{
    public string Name => "audit";

    public bool IsReady(out string? reason)
    {
        reason = audit.IsHealthy ? null : "the audit log cannot write";
        return audit.IsHealthy;
    }
}

internal sealed class PolicyReadinessCheck(PolicyProvider policies) : IReadinessCheck
{
    public string Name => "policies";

    public bool IsReady(out string? reason)
    {
        var loaded = policies.Current.All.Any();
        var last = policies.LastReload;
        reason = !loaded ? "no policy is loaded"
            : last.Succeeded ? null
            : $"serving the last good policies; the last reload was rejected: {last.FirstProblem}";
        return loaded;
    }
}
