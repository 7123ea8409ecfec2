using Gateway.Compliance.Policies.Definitions;
using Gateway.Server.Configuration;
using Gateway.Server.Forwarding;
using Gateway.Server.Policies;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Health;

/// <summary>
/// Readiness: every destination of every practice's policy can take the practice's vertical. A destination
/// that answers its verticals list without the vertical would refuse every event (400, dead letters) after the
/// SDK already got 200, so the gateway is not ready until the vertical's <c>scoring.yaml</c> is deployed there.
/// A destination that does not answer is not held against readiness (the outbox keeps its events). Answers are
/// kept for <see cref="CacheFor"/>, so load-balancer probes do not reach the destinations each time.
/// </summary>
internal sealed class DestinationVerticalsCheck(PolicyProvider policies, IOptions<GatewayOptions> options, IDestinationForwarder forwarder, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.At < CacheFor)
            {
                return last.Result;
            }

            var result = await CheckAsync(cancellationToken);
            _last = (now, result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var needed = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var vertical in options.Value.Practices.Select(p => p.Vertical).Distinct(StringComparer.Ordinal))
        {
            if (policies.Current.TryGet(vertical, out var policy))
            {
                foreach (var destination in policy.Destinations.Where(d => d.Enabled && d.Kind == DestinationKind.Scoring))
                {
                    (needed.TryGetValue(destination.Cluster, out var set) ? set : needed[destination.Cluster] = new SortedSet<string>(StringComparer.Ordinal)).Add(vertical);
                }
            }
        }

        var problems = new List<string>();
        foreach (var (cluster, verticals) in needed)
        {
            foreach (var (destination, scorable) in await forwarder.ScorableVerticalsAsync(cluster, cancellationToken))
            {
                problems.AddRange(verticals.Where(v => scorable is not null && !scorable.Contains(v))
                    .Select(v => $"destination {destination} of cluster {cluster} cannot score vertical '{v}' (no scoring configuration deployed there)"));
            }
        }

        return problems.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", problems));
    }
}
