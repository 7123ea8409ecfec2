using System.Collections.Concurrent;
using Gateway.Server.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Disclosure;

/// <summary>
/// Whether each store (consent, baa, outbox, quarantine) answered the last time it was used. Readiness is
/// false while any of them does not: the gateway would fail closed.
/// </summary>
internal sealed class StoreHealth : IHealthCheck
{
    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);

    public void Succeeded(string store) => _failing.TryRemove(store, out _);

    public void Failed(string store) => _failing[store] = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failing = _failing.Keys.Order(StringComparer.Ordinal).ToList();
        return Readiness.Result(failing.Count == 0, failing.Count == 0 ? null : $"the {string.Join(", ", failing)} store cannot be read");
    }
}
