using Scoring.Engine.Scoring;

namespace Scoring.Engine.Stages;

/// <summary>
/// The outcome of evaluating a lead at an instant: its new state, the system transitions that happened since the
/// last evaluation (with their exact times), the score breakdown now, and when the lead next needs a look.
/// </summary>
/// <param name="NextCheckAt">
/// For an MQL, the instant it will stop qualifying unless new events arrive; null otherwise (only new events
/// can change a Lead or Recycled lead, and people change SQLs).
/// </param>
public sealed record Evaluation(
    LeadState State,
    IReadOnlyList<StageTransition> Transitions,
    ScoreBreakdown Breakdown,
    DateTimeOffset? NextCheckAt);
