namespace Scoring.Engine.Events;

/// <summary>
/// One stored event of a lead, as the engine needs it: its key (track name or call type), when it happened,
/// when the service received it, and its scalar fields by path (<c>properties.service_line</c>).
/// </summary>
/// <param name="OccurredAt">
/// The event's own time (its timestamp, else the batch's <c>sentAt</c>, else the receive time), never later than
/// <paramref name="ReceivedAt"/>, so a client clock in the future cannot keep a signal fresh.
/// </param>
public sealed record LeadEvent(
    string Type,
    string? Name,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>The key intent rules are written for: a track event's name, else the call type (<c>page</c>).</summary>
    public string Key => Type == "track" && Name is not null ? Name : Type;

    public string? Field(string path) => Fields.TryGetValue(path, out var value) ? value : null;
}
