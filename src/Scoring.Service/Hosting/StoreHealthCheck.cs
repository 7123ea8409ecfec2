using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scoring.Service.Storage;

namespace Scoring.Service.Hosting;

/// <summary>Ready when the store answers and its schema is migrated.</summary>
internal sealed class StoreHealthCheck : IHealthCheck
{
    private readonly ILeadStore _store;

    public StoreHealthCheck(ILeadStore store)
    {
        _store = store;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await _store.PingAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The store is not reachable.");
}
