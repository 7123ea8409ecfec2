using System.Collections.Concurrent;
using Gateway.Compliance.Policies;
using Gateway.Server.Policies;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// The policy versions this gateway has had in force since it started (per vertical, by SHA-256), so the
/// console can diff the version in force against an earlier one. Observed at start and on every console
/// request; a version that came and went between two console requests is not kept. At most
/// <see cref="MaxPerVertical"/> versions per vertical.
/// </summary>
internal sealed class PolicyVersionHistory(PolicyProvider policies, TimeProvider time)
{
    public const int MaxPerVertical = 10;

    private readonly ConcurrentDictionary<string, List<PolicyVersion>> _versions = new(StringComparer.Ordinal);

    public void Observe()
    {
        foreach (var policy in policies.Current.All)
        {
            var list = _versions.GetOrAdd(policy.Name, _ => []);
            lock (list)
            {
                if (list.Count == 0 || list[^1].Policy.Sha256 != policy.Sha256)
                {
                    list.RemoveAll(v => v.Policy.Sha256 == policy.Sha256);
                    list.Add(new PolicyVersion(policy, time.GetUtcNow()));
                    if (list.Count > MaxPerVertical)
                    {
                        list.RemoveAt(0);
                    }
                }
            }
        }
    }

    /// <summary>Versions of one vertical, oldest first; the last is the one in force.</summary>
    public IReadOnlyList<PolicyVersion> Of(string vertical)
    {
        Observe();
        if (!_versions.TryGetValue(vertical, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }
}

/// <summary>A compiled policy and when this gateway first had it in force.</summary>
internal sealed record PolicyVersion(CompiledPolicy Policy, DateTimeOffset FirstSeen);
