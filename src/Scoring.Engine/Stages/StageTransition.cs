namespace Scoring.Engine.Stages;

/// <summary>
/// One recorded stage change: when, from what (null for a new lead), to what, why, and who (<c>system</c> or
/// the id a person's client supplied). Criteria are the SQL criteria a person confirmed, or a reason code.
/// </summary>
public sealed record StageTransition(
    DateTimeOffset At,
    LeadStage? From,
    LeadStage To,
    string Reason,
    string Actor,
    IReadOnlyList<string> Criteria)
{
    /// <summary>The actor of transitions the score causes.</summary>
    public const string SystemActor = "system";
}
