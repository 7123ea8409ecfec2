using Scoring.Engine.Configuration;
using Scoring.Engine.Events;
using Scoring.Engine.Routing;
using Scoring.Engine.Scoring;

namespace Scoring.Engine.Stages;

/// <summary>
/// Moves a lead between Lead, MQL and Recycled from its score, at the exact instants the changes happened, so
/// the recorded history does not depend on when anyone looked.
/// <list type="bullet">
/// <item>A lead qualifies at instant t when its score at t is at or above the threshold, or a direct rule holds at t.</item>
/// <item>Between events a score only falls (intent decays; fit is constant) and direct rules only expire, so a lead
/// can start qualifying only at an event's time, and stops at one computable instant: the first millisecond at
/// which neither the score nor any direct rule holds.</item>
/// <item>Lead or Recycled → MQL at the first event time (after the last evaluation) at which it qualifies; the MQL is
/// routed then. MQL → Recycled at the first millisecond it no longer qualifies (not back to Lead: it was
/// qualified once and the funnel keeps that). Recycled → MQL again on new qualifying engagement.</item>
/// <item>SQL, Appointment/Opportunity and Disqualified are people's decisions; the score never changes them.</item>
/// </list>
/// An event received after the last evaluation but dated before it counts from the last evaluation's time.
/// </summary>
public sealed class LeadEvaluator
{
    private static readonly TimeSpan s_millisecond = TimeSpan.FromMilliseconds(1);

    private readonly ScoringConfig _config;
    private readonly LeadScorer _scorer;

    public LeadEvaluator(ScoringConfig config)
    {
        _config = config;
        _scorer = new LeadScorer(config);
    }

    public LeadScorer Scorer => _scorer;

    public Evaluation Evaluate(LeadState state, IReadOnlyList<LeadEvent> allEvents, DateTimeOffset now)
    {
        var events = allEvents.Where(e => e.ReceivedAt <= now).OrderBy(e => e.OccurredAt).ToList();
        var transitions = new List<StageTransition>();
        var stage = state.Stage;
        var since = state.StageSince;
        var handoff = state.Handoff;
        DateTimeOffset? nextCheck = null;

        if (LeadStages.IsSystemManaged(stage))
        {
            var points = CandidatePoints(state, events, now);
            var cursor = state.EvaluatedThrough is { } through && through > since ? through : since;
            while (true)
            {
                if (stage is LeadStage.Lead or LeadStage.Recycled)
                {
                    var found = false;
                    foreach (var point in points.Where(p => p >= cursor))
                    {
                        var breakdown = _scorer.Score(events, point);
                        if (breakdown.Qualifies)
                        {
                            handoff = Router.HandOff(_config, breakdown, point);
                            transitions.Add(new StageTransition(point, stage, LeadStage.Mql, QualifiedReason(breakdown), StageTransition.SystemActor, []));
                            stage = LeadStage.Mql;
                            since = cursor = point;
                            found = true;
                            break;
                        }
                    }

                    if (!found)
                    {
                        break;
                    }
                }

                var starts = points.Where(p => p > cursor).Prepend(cursor).ToList();
                var dropped = false;
                for (var i = 0; i < starts.Count; i++)
                {
                    var start = starts[i];
                    var atStart = _scorer.Score(events, start);
                    var drop = FirstInstantNotQualifying(atStart);
                    var last = i == starts.Count - 1;
                    if (last ? drop <= now : drop < starts[i + 1])
                    {
                        var atDrop = _scorer.Score(events, drop);
                        transitions.Add(new StageTransition(drop, LeadStage.Mql, LeadStage.Recycled, RecycledReason(atStart, atDrop), StageTransition.SystemActor, []));
                        stage = LeadStage.Recycled;
                        since = cursor = drop;
                        handoff = null;
                        dropped = true;
                        break;
                    }

                    if (last)
                    {
                        nextCheck = drop;
                    }
                }

                if (!dropped)
                {
                    break;
                }
            }
        }

        var state2 = new LeadState(stage, since, handoff, now, _config.Sha256);
        return new Evaluation(state2, transitions, _scorer.Score(events, now), nextCheck);
    }

    /// <summary>
    /// The first whole millisecond at or after <paramref name="atStart"/>'s instant at which the lead no longer
    /// qualifies, assuming no new events; <see cref="DateTimeOffset.MaxValue"/> if it never stops.
    /// </summary>
    public DateTimeOffset FirstInstantNotQualifying(ScoreBreakdown atStart)
    {
        var start = atStart.At;
        if (!atStart.Qualifies)
        {
            return start;
        }

        var holdsUntil = start;
        if (atStart.Fit >= _config.Threshold)
        {
            return DateTimeOffset.MaxValue;
        }

        if (atStart.QualifiesByScore)
        {
            var span = Decay.TimeUntil(_config.DecayPerQuarter, atStart.Intent, _config.Threshold - atStart.Fit);
            if (span == TimeSpan.MaxValue || span >= DateTimeOffset.MaxValue - start)
            {
                return DateTimeOffset.MaxValue;
            }

            holdsUntil = start + span;
        }

        foreach (var rule in atStart.DirectRules)
        {
            if (rule.Holds && rule.Until is { } until && until > holdsUntil)
            {
                holdsUntil = until;
            }
        }

        var truncated = holdsUntil.AddTicks(-(holdsUntil.Ticks % TimeSpan.TicksPerMillisecond));
        return truncated + s_millisecond;
    }

    /// <summary>
    /// Instants at which something new became known: every event's time for a new lead; otherwise the time of each
    /// event received since the last evaluation (no earlier than that evaluation), and now if the scoring
    /// configuration changed since.
    /// </summary>
    private List<DateTimeOffset> CandidatePoints(LeadState state, List<LeadEvent> events, DateTimeOffset now)
    {
        var points = new SortedSet<DateTimeOffset>();
        foreach (var e in events)
        {
            if (state.EvaluatedThrough is not { } through)
            {
                points.Add(e.OccurredAt);
            }
            else if (e.ReceivedAt > through)
            {
                points.Add(e.OccurredAt > through ? e.OccurredAt : through);
            }
        }

        if (state.ConfigSha256 is { } sha && sha != _config.Sha256)
        {
            points.Add(now);
        }

        return [.. points.Where(p => p <= now)];
    }

    private static string QualifiedReason(ScoreBreakdown b)
    {
        var direct = b.DirectRules.Where(r => r.Holds).Select(r => $"'{r.Rule}'").ToList();
        if (b.QualifiesByScore)
        {
            var reason = $"score {LeadScorer.Format(b.Score)} reached the threshold {LeadScorer.Format(b.Threshold)}";
            return direct.Count == 0 ? reason : $"{reason}; direct rule {string.Join(", ", direct)} also holds";
        }

        return $"direct qualification by rule {string.Join(", ", direct)} (score {LeadScorer.Format(b.Score)}, threshold {LeadScorer.Format(b.Threshold)})";
    }

    private static string RecycledReason(ScoreBreakdown atStart, ScoreBreakdown atDrop)
    {
        var since = atDrop.LastEngagementAt is { } last ? $" with no engagement since {last:yyyy-MM-dd}" : string.Empty;
        var reason = $"score {LeadScorer.FormatDown(atDrop.Score)} fell below the threshold {LeadScorer.Format(atDrop.Threshold)}{since}";
        var expired = atStart.DirectRules.Where(r => r.Holds).Select(r => $"'{r.Rule}'").ToList();
        return expired.Count == 0 ? reason : $"{reason}; direct rule {string.Join(", ", expired)} expired";
    }
}
