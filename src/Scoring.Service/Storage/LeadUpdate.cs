using Scoring.Engine.Stages;

namespace Scoring.Service.Storage;

/// <summary>
/// An evaluation's or a person's result to persist, applied only if the lead is still at
/// <see cref="ExpectedVersion"/> (otherwise new events arrived meanwhile and the caller evaluates again): the new
/// state, the system history rewritten from an instant on, a person's transition, the lead's facts, and the
/// hand-off messages to queue for delivery in the same transaction.
/// </summary>
internal sealed record LeadUpdate(
    LeadKey Key,
    long ExpectedVersion,
    LeadState State,
    DateTimeOffset? NextCheckAt,
    HistoryRewrite? Rewrite,
    IReadOnlyList<StageTransition> Personal,
    string? Client,
    LeadFacts Facts,
    IReadOnlyList<OutboxMessage> Handoffs);
