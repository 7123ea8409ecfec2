using Gateway.Compliance.Audit;
using Gateway.Server.Policies;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>
/// The gateway's readiness conditions as ASP.NET Core health checks (tag <see cref="ServiceHealth.ReadyTag"/>):
/// <c>/health/ready</c> is 200 only while the gateway would not fail closed (policies loaded, audit writable, stores
/// and key ring answering, every destination able to take its vertical). A load balancer stops sending traffic
/// while it is not. Reasons name the component, never data.
/// </summary>
internal static class Readiness
{
    public static Task<HealthCheckResult> Result(bool ready, string? reason) =>
        Task.FromResult(ready ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason));

    /// <summary>Registers an already-registered singleton as the readiness check <paramref name="name"/>.</summary>
    public static IHealthChecksBuilder AddReadiness<T>(this IHealthChecksBuilder builder, string name)
        where T : class, IHealthCheck =>
        builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<T>(), failureStatus: null, tags: [ServiceHealth.ReadyTag]));
}

internal sealed class AuditHealthCheck(IAuditLog audit) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Readiness.Result(audit.IsHealthy, audit.IsHealthy ? null : "the audit log cannot write");
}

internal sealed class PolicyHealthCheck(PolicyProvider policies) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var loaded = policies.Current.All.Any();
        var last = policies.LastReload;
        var reason = !loaded ? "no policy is loaded"
            : last.Succeeded ? null
            : $"serving the last good policies; the last reload was rejected: {last.FirstProblem}";
        return Readiness.Result(loaded, reason);
    }
}
