namespace Gateway.Compliance.Audit;

/// <summary>
/// Counts over a period of audit records: what the gateway forwarded, dropped and rejected (and why), what it
/// did to fields (removed, hashed, generalized, ...), which detectors fired, per practice and policy version,
/// per destination decision (consent and BAA drops) and delivery. Counts only: no values, no subjects.
/// </summary>
public sealed class AuditStatistics
{
    private readonly Dictionary<string, SortedDictionary<string, long>> _groups = new(StringComparer.Ordinal);

    /// <summary>The groups reported, in order.</summary>
    public static IReadOnlyList<string> GroupNames { get; } =
    [
        "kind", "outcome", "reason", "practice", "policy", "event-type", "destination-decision", "delivery", "action", "field", "detector",
    ];

    public long Records { get; private set; }

    public DateTimeOffset? First { get; private set; }

    public DateTimeOffset? Last { get; private set; }

    /// <summary>Counts of one group (e.g. <c>outcome</c>: forward → 120), ordered by key.</summary>
    public IReadOnlyDictionary<string, long> Group(string name) =>
        _groups.TryGetValue(name, out var group) ? group : new SortedDictionary<string, long>(StringComparer.Ordinal);

    public static AuditStatistics Compute(IEnumerable<AuditRecord> records)
    {
        var statistics = new AuditStatistics();
        foreach (var record in records)
        {
            statistics.Add(record);
        }

        return statistics;
    }

    public void Add(AuditRecord record)
    {
        Records++;
        First = First is null || record.Time < First ? record.Time : First;
        Last = Last is null || record.Time > Last ? record.Time : Last;
        Count("kind", record.Kind);
        if (record.Event is { } e)
        {
            Count("outcome", e.Outcome);
            if (e.Reason is { } reason)
            {
                Count("reason", $"{e.Outcome}: {reason}");
            }

            Count("practice", e.Practice);
            Count("policy", $"{e.Vertical} {e.PolicyVersion}");
            Count("event-type", e.EventType ?? "(unlisted)");
            foreach (var decision in e.Destinations)
            {
                Count("destination-decision", decision.Reason is null
                    ? $"{decision.Name}: {decision.Outcome}{(decision.Deidentified ? " (de-identified)" : string.Empty)}"
                    : $"{decision.Name}: {decision.Outcome} ({decision.Reason})");
            }

            foreach (var (action, paths) in e.Fields)
            {
                Count("action", action, paths.Count);
                foreach (var path in paths)
                {
                    Count("field", $"{action} {path}");
                }
            }

            if (e.Unmapped.Count > 0)
            {
                Count("action", "drop-unmapped", e.Unmapped.Count);
            }

            foreach (var features in e.Derived.Values)
            {
                Count("action", "derive", features.Count);
            }

            foreach (var detector in e.Detected.Values.SelectMany(d => d))
            {
                Count("detector", detector);
            }
        }
        else if (record.Delivery is { } d)
        {
            Count("delivery", $"{d.Destination}: {(d.Delivered ? "delivered" : "failed")} (events)", d.MessageIds.Count);
            Count("delivery", $"{d.Destination}: {(d.Delivered ? "delivered" : "failed")} (attempts)");
            if (!d.Delivered && d.Error is { } error)
            {
                Count("reason", $"delivery failed: {error}");
            }
        }
    }

    private void Count(string group, string key, long by = 1)
    {
        if (!_groups.TryGetValue(group, out var counts))
        {
            _groups[group] = counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        }

        counts[key] = counts.GetValueOrDefault(key) + by;
    }
}
