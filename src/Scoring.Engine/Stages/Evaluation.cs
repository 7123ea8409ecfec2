using Scoring.Engine.Scoring;

namespace Scoring.Engine.Stages;

/// <summary>
/// The outcome of evaluating a lead at an instant: its new state, the system transitions newly recorded (with their
/// exact times, in event time), the score breakdown now, when the lead next needs a look, and the rewrite of the
/// recorded system history that late events caused.
/// </summary>
/// <param name="Transitions">System transitions not recorded before (for logs and hand-offs).</param>
/// <param name="NextCheckAt">
/// For an MQL, the instant it will stop qualifying unless new events arrive; null otherwise (only new events
/// can change a Lead or Recycled lead, and people change SQLs).
/// </param>
/// <param name="Rewrite">The system transitions from an instant on, replacing the recorded ones from then.</param>
public sealed record Evaluation(
    LeadState State,
    IReadOnlyList<StageTransition> Transitions,
    ScoreBreakdown Breakdown,
    DateTimeOffset? NextCheckAt,
    HistoryRewrite Rewrite);

/// <summary>
/// Replace the lead's recorded system transitions at or after <see cref="From"/> (all of them when null; the first
/// "lead" transition is kept) with <see cref="Transitions"/>. People's transitions are never replaced.
/// </summary>
public sealed record HistoryRewrite(DateTimeOffset? From, IReadOnlyList<StageTransition> Transitions)
{
    /// <summary>Whether applying the rewrite to <paramref name="recorded"/> changes the recorded system history.</summary>
    public bool Changes(IReadOnlyList<StageTransition> recorded)
    {
        var replaced = recorded.Where(t => t.From is not null && !t.IsPersonal && (From is null || t.At >= From)).OrderBy(t => t.At).ToList();
        return replaced.Count != Transitions.Count || replaced.Zip(Transitions.OrderBy(t => t.At)).Any(p => !p.First.SameChange(p.Second));
    }
}
