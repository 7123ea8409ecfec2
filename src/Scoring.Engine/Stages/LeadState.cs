namespace Scoring.Engine.Stages;

/// <summary>
/// What is persisted about a lead's stage between evaluations. Scores are never persisted: they are computed
/// from the events at read time.
/// </summary>
/// <param name="StageSince">When the current stage was entered.</param>
/// <param name="Handoff">The routing of the current (or last) MQL; kept through SQL for reporting.</param>
/// <param name="EvaluatedThrough">
/// The time up to which system transitions were computed (null for a new lead): events received later are
/// new information; events received earlier were already taken into account.
/// </param>
/// <param name="ConfigSha256">The scoring configuration the last evaluation used.</param>
public sealed record LeadState(
    LeadStage Stage,
    DateTimeOffset StageSince,
    Handoff? Handoff,
    DateTimeOffset? EvaluatedThrough,
    string? ConfigSha256);
