namespace Scoring.Engine.Stages;

/// <summary>
/// One recorded stage change: when, from what (null for a new lead), to what, why, and who (<c>system</c> or
/// the id a person's client supplied). Criteria are the SQL criteria a person confirmed, or a reason code. A move
/// to MQL carries its hand-off (queue, SLA, due time).
/// </summary>
public sealed record StageTransition(
    DateTimeOffset At,
    LeadStage? From,
    LeadStage To,
    string Reason,
    string Actor,
    IReadOnlyList<string> Criteria,
    Handoff? Handoff = null)
{
    /// <summary>A person's decision (SQL, conversion, disqualification, recycling): a fact the score never rewrites.</summary>
    public bool IsPersonal => Actor != SystemActor;

    /// <summary>The same change (time, stages, actor), whatever the wording of its reason.</summary>
    public bool SameChange(StageTransition other) => At == other.At && From == other.From && To == other.To && Actor == other.Actor;

    /// <summary>The actor of transitions the score causes.</summary>
    public const string SystemActor = "system";
}
