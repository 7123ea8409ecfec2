namespace Pms.Connectors.Events;

/// <summary>
/// One Segment track event built from a practice-management record, before the gateway scrubs it. Holds PHI (the
/// shared identifier in <see cref="UserId"/>, contact fields and dates in <see cref="Properties"/>): it goes only into
/// the body sent to the gateway, never into logs, errors or the connector's state.
/// </summary>
/// <param name="MessageId">Derived from the source system, record kind, record id and version (<see cref="MessageIds"/>).</param>
public sealed record PmsEvent(
    string Event,
    string MessageId,
    string UserId,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, object?> Properties);
