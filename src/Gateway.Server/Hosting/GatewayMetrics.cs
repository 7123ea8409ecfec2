using System.Diagnostics.Metrics;

namespace Gateway.Server.Hosting;

/// <summary>
/// Counters (System.Diagnostics.Metrics, meter <c>Gateway</c>). Tags are practice ids, verticals, outcomes
/// and reasons: never a value from an event.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    private readonly Counter<long> _events;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _deliveries;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("gateway.events", description: "Events by outcome (forward, dropped, rejected) and reason.");
        _requests = meter.CreateCounter<long>("gateway.requests", description: "Ingest requests by HTTP status.");
        _authFailures = meter.CreateCounter<long>("gateway.auth_failures", description: "Failed authentications by surface and reason.");
        _deliveries = meter.CreateCounter<long>("gateway.deliveries", description: "Delivery attempts by destination and outcome.");
    }

    public void Event(string vertical, string outcome, string? reason) =>
        _events.Add(1, new("vertical", vertical), new("outcome", outcome), new("reason", reason ?? "none"));

    public void Request(int status) => _requests.Add(1, new KeyValuePair<string, object?>("status", status));

    public void AuthFailure(string surface, string reason) => _authFailures.Add(1, new("surface", surface), new("reason", reason));

    public void Delivery(string destination, string outcome, int events) =>
        _deliveries.Add(events, new("destination", destination), new("outcome", outcome));
}
