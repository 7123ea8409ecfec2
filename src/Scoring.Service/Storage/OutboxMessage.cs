namespace Scoring.Service.Storage;

/// <summary>
/// A hand-off to deliver to one destination: which destination, its idempotency key (the same change is queued and
/// delivered once per destination), the practice, the kind (<c>mql</c>, <c>sla_breach</c>, <c>stage_changed</c>) and
/// the destination-neutral payload (JSON, pseudonymous: see <c>Handoffs/HandoffPayload</c>).
/// </summary>
internal sealed record OutboxMessage(string Destination, string IdempotencyKey, string Practice, string Kind, string Payload, DateTimeOffset CreatedAt);

/// <summary>A message claimed for delivery: its row id and how many attempts were made before.</summary>
internal sealed record OutboxDelivery(long Id, OutboxMessage Message, int Attempts);

/// <summary>A message's delivery state, for tests and operators.</summary>
internal sealed record OutboxStatus(long Id, OutboxMessage Message, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset? FailedAt, string? LastStatus);
