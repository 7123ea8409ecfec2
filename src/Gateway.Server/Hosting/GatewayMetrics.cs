using System.Diagnostics.Metrics;
using Gateway.Server.Durability;

namespace Gateway.Server.Hosting;

/// <summary>
/// The gateway's instruments (System.Diagnostics.Metrics, meter <c>Gateway</c>; exported by OpenTelemetry, scraped
/// at <c>/metrics</c> on the admin port). Tags are practice ids, verticals, destinations, outcomes, reasons and
/// statuses: never a value from an event, a subject, a message id or a path.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    /// <summary>Buckets for durations in seconds, from half a millisecond (an fsync on SSD) to 10 s (a forward timeout).</summary>
    private static readonly InstrumentAdvice<double> s_seconds = new() { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };

    private readonly Counter<long> _events;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _deadLetters;
    private readonly Histogram<double> _forwardDuration;
    private readonly Histogram<double> _auditSync;

    public GatewayMetrics(IMeterFactory meterFactory, OutboxState outbox, TimeProvider time, Storage.Consent.IConsentLedger consent)
    {
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("gateway.events", "{event}", "Events by practice, vertical, outcome (forward, dropped, rejected) and reason.");
        _decisions = meter.CreateCounter<long>("gateway.disclosure.decisions", "{decision}", "Consent and BAA decisions per destination: forward, dropped (with the reason) or de-identified.");
        _requests = meter.CreateCounter<long>("gateway.requests", "{request}", "Ingest requests by HTTP status.");
        _authFailures = meter.CreateCounter<long>("gateway.auth_failures", "{failure}", "Failed authentications by surface and reason.");
        _deliveries = meter.CreateCounter<long>("gateway.deliveries", "{event}", "Events sent to a destination, by destination and outcome (Delivered, Retryable, Rejected).");
        _deadLetters = meter.CreateCounter<long>("gateway.outbox.dead_letters", "{event}", "Events moved to the dead letters, by destination and reason.");
        _forwardDuration = meter.CreateHistogram("gateway.forward.duration", "s", "Time to forward one batch to a destination cluster, by cluster and outcome.", advice: s_seconds);
        _auditSync = meter.CreateHistogram("gateway.audit.fsync.duration", "s", "Time to fsync one group commit of the audit log.", advice: s_seconds);
        meter.CreateObservableGauge("gateway.outbox.depth", () => outbox.Total, "{event}", "Events waiting in the outbox.");
        if (consent is Storage.Consent.CachedConsentLedger cache)
        {
            meter.CreateObservableCounter("gateway.consent.cache.hits", () => cache.Hits, "{subject}", "Subjects whose consent was answered from memory (after the change feed was read).");
            meter.CreateObservableCounter("gateway.consent.cache.misses", () => cache.Misses, "{subject}", "Subjects whose consent was read from the ledger.");
            meter.CreateObservableGauge("gateway.consent.cache.subjects", () => cache.Count, "{subject}", "Subjects whose consent is held in memory.");
        }

        meter.CreateObservableGauge("gateway.outbox.oldest_age", () => outbox.OldestAge(time.GetUtcNow()).TotalSeconds, "s", "Age of the oldest event waiting in the outbox (0 when empty).");
    }

    public void Event(string practice, string vertical, string outcome, string? reason) =>
        _events.Add(1, new("practice", practice), new("vertical", vertical), new("outcome", outcome), new("reason", reason ?? "none"));

    public void Decision(string practice, string destination, string outcome, string? reason) =>
        _decisions.Add(1, new("practice", practice), new("destination", destination), new("outcome", outcome), new("reason", reason ?? "none"));

    public void Request(int status) => _requests.Add(1, new KeyValuePair<string, object?>("status", status));

    public void AuthFailure(string surface, string reason) => _authFailures.Add(1, new("surface", surface), new("reason", reason));

    public void Delivery(string destination, string outcome, int events) =>
        _deliveries.Add(events, new("destination", destination), new("outcome", outcome));

    public void Forwarded(string cluster, string outcome, TimeSpan elapsed) =>
        _forwardDuration.Record(elapsed.TotalSeconds, new("cluster", cluster), new("outcome", outcome));

    public void DeadLettered(string destination, string reason, int events) =>
        _deadLetters.Add(events, new("destination", destination), new("reason", reason));

    public void AuditSynced(TimeSpan elapsed) => _auditSync.Record(elapsed.TotalSeconds);
}
