namespace Scoring.Service.Storage;

/// <summary>A validated batch from the gateway, ready to store: one practice's events, in the order they were sent.</summary>
internal sealed record IncomingBatch(
    string Practice,
    string Vertical,
    string? PolicyVersion,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<IncomingEvent> Events);
