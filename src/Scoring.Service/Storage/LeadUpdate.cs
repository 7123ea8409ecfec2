using Scoring.Engine.Stages;

namespace Scoring.Service.Storage;

/// <summary>
/// An evaluation's or a person's result to persist, applied only if the lead is still at
/// <see cref="ExpectedVersion"/> (otherwise new events arrived meanwhile and the caller evaluates again).
/// </summary>
internal sealed record LeadUpdate(
    LeadKey Key,
    long ExpectedVersion,
    LeadState State,
    DateTimeOffset? NextCheckAt,
    IReadOnlyList<StageTransition> Transitions,
    string? Client);
