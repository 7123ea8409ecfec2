using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Scoring.Service.Hosting;

/// <summary>
/// The scoring service's instruments (meter <c>Scoring</c>) and spans (activity source <c>Scoring</c>). Tags are
/// practice ids and verticals: never a subject, a message id or an event value.
/// </summary>
internal sealed class ScoringMetrics
{
    public const string Name = "Scoring";

    public static readonly ActivitySource Tracing = new(Name);

    private readonly Counter<long> _events;
    private readonly Counter<long> _mqls;
    private readonly Counter<long> _slaBreaches;
    private readonly ConcurrentDictionary<string, long> _overdue = new(StringComparer.Ordinal);

    public ScoringMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _events = meter.CreateCounter<long>("scoring.events", "{event}", "Events received from the gateway, by practice, vertical and result (stored, duplicate).");
        _mqls = meter.CreateCounter<long>("scoring.mqls", "{lead}", "Leads that became MQLs, by practice and vertical.");
        _slaBreaches = meter.CreateCounter<long>("scoring.sla_breaches", "{lead}", "MQLs whose hand-off SLA passed without an SQL, conversion or disqualification, by vertical.");
        meter.CreateObservableGauge("scoring.mql.overdue", Overdue, "{lead}", "MQLs past their hand-off SLA right now, by vertical (as of the last check).");
    }

    public void Events(string practice, string vertical, int stored, int duplicates)
    {
        _events.Add(stored, new("practice", practice), new("vertical", vertical), new("result", "stored"));
        _events.Add(duplicates, new("practice", practice), new("vertical", vertical), new("result", "duplicate"));
    }

    public void Mql(string practice, string vertical) => _mqls.Add(1, new("practice", practice), new("vertical", vertical));

    public void SlaBreached(string vertical) => _slaBreaches.Add(1, new KeyValuePair<string, object?>("vertical", vertical));

    /// <summary>Replaces the overdue counts (every vertical not named is zero).</summary>
    public void OverdueNow(IReadOnlyDictionary<string, int> byVertical)
    {
        foreach (var vertical in _overdue.Keys)
        {
            _overdue[vertical] = 0;
        }

        foreach (var (vertical, count) in byVertical)
        {
            _overdue[vertical] = count;
        }
    }

    private IEnumerable<Measurement<long>> Overdue() =>
        _overdue.Select(v => new Measurement<long>(v.Value, new KeyValuePair<string, object?>("vertical", v.Key)));
}
