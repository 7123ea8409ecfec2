using Scoring.Engine.Configuration;
using Scoring.Engine.Events;
using Scoring.Engine.Routing;
using Scoring.Engine.Scoring;

namespace Scoring.Engine.Stages;

/// <summary>
/// Moves a lead between Lead, MQL and Recycled from its score, in event time: the recorded history is what it would
/// be had every event arrived at once, whatever the order and batching they arrived in, and whenever anyone looked.
/// <list type="bullet">
/// <item>A lead qualifies at instant t when it is reachable (one of the contact attributes is true) and its score at
/// t, as shown to two decimals, exceeds the threshold, or a direct rule holds at t.</item>
/// <item>Between events a score only falls (intent decays; fit is constant) and direct rules only expire, so a lead
/// can start qualifying only at an event's time, and stops at one computable instant: the first millisecond at
/// which neither the score nor any direct rule holds.</item>
/// <item>Lead or Recycled → MQL at the first event time at which it qualifies; the MQL is routed then. MQL → Recycled
/// at the first millisecond it no longer qualifies. After a person recycles a lead, only intent from later events
/// counts towards re-qualifying (against the re-qualification threshold), so a page view cannot undo the decision.</item>
/// <item>SQL, Appointment/Opportunity, Disqualified and a person's Recycled are people's decisions: facts the score
/// never changes. They are replayed at their times.</item>
/// <item>An event that arrives late (an outbox replay, an offline SDK queue, an import) rewinds the system history to
/// its own time; what was recorded before then stands, what came after is recomputed.</item>
/// </list>
/// </summary>
public sealed class LeadEvaluator
{
    private static readonly TimeSpan s_millisecond = TimeSpan.FromMilliseconds(1);

    /// <summary>Steps a computed drop-out instant may be corrected by, to agree with the rounded comparison.</summary>
    private const int MaxCorrectionSteps = 16;

    private readonly ScoringProfile _profile;
    private readonly LeadScorer _scorer;

    public LeadEvaluator(ScoringConfig config)
        : this(new ScoringProfile(config))
    {
    }

    public LeadEvaluator(ScoringProfile profile)
    {
        _profile = profile;
        _scorer = new LeadScorer(profile);
    }

    public LeadScorer Scorer => _scorer;

    public ScoringProfile Profile => _profile;

    /// <summary>Evaluates a lead with no recorded history beyond its state (a new lead, or tests).</summary>
    public Evaluation Evaluate(LeadState state, IReadOnlyList<LeadEvent> allEvents, DateTimeOffset now) => Evaluate(state, [], allEvents, now);

    /// <param name="state">What was stored after the last evaluation.</param>
    /// <param name="recorded">Every recorded transition of the lead, system and personal, oldest first.</param>
    /// <param name="allEvents">The lead's events (those received after <paramref name="now"/> are ignored).</param>
    public Evaluation Evaluate(LeadState state, IReadOnlyList<StageTransition> recorded, IReadOnlyList<LeadEvent> allEvents, DateTimeOffset now)
    {
        var events = allEvents.Where(e => e.ReceivedAt <= now).OrderBy(e => e.OccurredAt).ToList();
        var configChanged = state.ConfigSha256 is { } sha && sha != _profile.Sha256;
        var floor = Floor(state, events, configChanged);
        var history = recorded.Where(t => t.From is not null).OrderBy(t => t.At).ThenBy(t => t.IsPersonal ? 1 : 0).ToList();

        var machine = Initial(state, recorded, history, events, floor);
        machine.ConvertedAt.UnionWith(history.Where(t => t.IsPersonal && t.To == _profile.Config.ConversionStage).Select(t => t.At));
        var cursor = floor ?? machine.Since;
        var points = new SortedSet<DateTimeOffset>(events.Select(e => e.OccurredAt).Where(p => p >= cursor && p <= now));
        if (configChanged)
        {
            // The new configuration applies from when the change is noticed; history before it stands.
            points.Add(now);
        }

        var rewritten = new List<StageTransition>();
        foreach (var person in history.Where(t => t.IsPersonal && (floor is null || t.At >= floor) && t.At <= now))
        {
            RunConverting(machine, events, points, cursor, person.At, rewritten);
            machine.Apply(person, state.Handoff);
            cursor = person.At;
        }

        var nextCheck = RunConverting(machine, events, points, cursor, now, rewritten);
        var added = rewritten.Where(t => !history.Any(h => h.SameChange(t))).ToList();
        var newState = new LeadState(machine.Stage, machine.Since, machine.Handoff, now, _profile.Sha256);
        return new Evaluation(newState, added, _scorer.Score(events, now), nextCheck, new HistoryRewrite(floor, rewritten));
    }

    /// <summary>
    /// The first whole millisecond at or after <paramref name="atStart"/>'s instant at which the lead no longer
    /// qualifies, assuming no new events; <see cref="DateTimeOffset.MaxValue"/> if it never stops.
    /// </summary>
    public DateTimeOffset FirstInstantNotQualifying(IReadOnlyList<LeadEvent> events, ScoreBreakdown atStart)
    {
        var start = atStart.At;
        if (!atStart.Qualifies)
        {
            return start;
        }

        if (LeadScorer.Points(atStart.Fit) > atStart.Threshold)
        {
            return DateTimeOffset.MaxValue;
        }

        var holdsUntil = start;
        if (atStart.QualifiesByScore)
        {
            // Shown to two decimals (half away from zero), a score exceeds T while it is at least T + 0.005.
            var span = Decay.TimeUntil(_profile.Config.DecayPerQuarter, atStart.Intent, atStart.Threshold + 0.005 - atStart.Fit);
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

        // The closed form is exact up to floating point; the rounded comparison decides, so settle the millisecond.
        var drop = holdsUntil.AddTicks(-(holdsUntil.Ticks % TimeSpan.TicksPerMillisecond)) + s_millisecond;
        for (var i = 0; i < MaxCorrectionSteps && _scorer.Score(events, drop).Qualifies; i++)
        {
            drop += s_millisecond;
        }

        for (var i = 0; i < MaxCorrectionSteps && drop - s_millisecond > start && !_scorer.Score(events, drop - s_millisecond).Qualifies; i++)
        {
            drop -= s_millisecond;
        }

        return drop;
    }

    /// <summary>
    /// From when the system history is recomputed: the start for a new lead; else the last evaluation, or the time of
    /// the earliest event received since if it is older (a late event rewinds history to its own time). After a
    /// change of configuration, history before the change stands.
    /// </summary>
    private static DateTimeOffset? Floor(LeadState state, List<LeadEvent> events, bool configChanged)
    {
        if (state.EvaluatedThrough is not { } through)
        {
            return null;
        }

        // An event received at the very instant of the last evaluation may have missed it: it counts as new.
        var late = events.Where(e => e.ReceivedAt >= through).Select(e => e.OccurredAt).DefaultIfEmpty(through).Min();
        return configChanged || late >= through ? through : late;
    }

    /// <summary>The lead's stage at <paramref name="floor"/>: its recorded history before then, replayed.</summary>
    private static Machine Initial(LeadState state, IReadOnlyList<StageTransition> recorded, List<StageTransition> history, List<LeadEvent> events, DateTimeOffset? floor)
    {
        var created = recorded.FirstOrDefault(t => t.From is null)?.At ?? (events.Count > 0 ? events[0].OccurredAt : state.StageSince);
        if (floor is not null && history.Count == 0)
        {
            // No recorded history to replay (a caller that keeps only the state): the state is the stage at the floor.
            return new Machine { Stage = state.Stage, Since = state.StageSince, Handoff = state.Handoff };
        }

        var machine = new Machine { Stage = LeadStage.Lead, Since = created };
        foreach (var transition in history.Where(t => floor is { } f && t.At < f))
        {
            machine.Apply(transition, state.Handoff);
        }

        return machine;
    }

    /// <summary>
    /// Runs the system's part of the stage machine from <paramref name="from"/> to <paramref name="until"/> (inclusive),
    /// recording its transitions; returns when an MQL would next stop qualifying (null when not an MQL).
    /// </summary>
    private DateTimeOffset? Run(Machine machine, List<LeadEvent> events, SortedSet<DateTimeOffset> points, DateTimeOffset from, DateTimeOffset until, List<StageTransition> recorded)
    {
        if (!LeadStages.IsSystemManaged(machine.Stage))
        {
            return null;
        }

        var cursor = from;
        while (true)
        {
            if (machine.Stage is LeadStage.Lead or LeadStage.Recycled)
            {
                var qualified = false;
                foreach (var point in Between(points, cursor, until))
                {
                    var breakdown = _scorer.Score(events, point, machine.RecycledByPersonAt);
                    if (breakdown.Qualifies)
                    {
                        var handoff = Router.HandOff(_profile, breakdown, point);
                        var mql = new StageTransition(point, machine.Stage, LeadStage.Mql, QualifiedReason(breakdown), StageTransition.SystemActor, [], handoff);
                        recorded.Add(mql);
                        machine.Apply(mql, null);
                        cursor = point;
                        qualified = true;
                        break;
                    }
                }

                if (!qualified)
                {
                    return null;
                }
            }

            var starts = Between(points, cursor, until).Where(p => p > cursor).Prepend(cursor).ToList();
            DateTimeOffset? dropped = null;
            DateTimeOffset? next = null;
            for (var i = 0; i < starts.Count; i++)
            {
                var atStart = _scorer.Score(events, starts[i]);
                var drop = FirstInstantNotQualifying(events, atStart);
                var last = i == starts.Count - 1;
                if (last ? drop <= until : drop < starts[i + 1])
                {
                    var recycled = new StageTransition(drop, LeadStage.Mql, LeadStage.Recycled, RecycledReason(atStart, _scorer.Score(events, drop)), StageTransition.SystemActor, []);
                    recorded.Add(recycled);
                    machine.Apply(recycled, null);
                    dropped = drop;
                    break;
                }

                if (last)
                {
                    next = drop;
                }
            }

            if (dropped is not { } at)
            {
                return next;
            }

            cursor = at;
        }
    }

    /// <summary>
    /// Runs the stage machine like <see cref="Run"/>, and converts the lead at the first event an automatic conversion
    /// rule matches (from Lead, MQL, Recycled or SQL). A conversion already recorded is replayed as the fact it is and
    /// never recorded twice.
    /// </summary>
    private DateTimeOffset? RunConverting(Machine machine, List<LeadEvent> events, SortedSet<DateTimeOffset> points, DateTimeOffset from, DateTimeOffset until, List<StageTransition> recorded)
    {
        var cursor = from;
        foreach (var (at, rule, trigger, earlier) in ConversionTriggers(events, from, until))
        {
            Run(machine, events, points, cursor, at, recorded);
            cursor = at;
            if (machine.Stage is LeadStage.Lead or LeadStage.Mql or LeadStage.Recycled or LeadStage.Sql && machine.ConvertedAt.Add(at))
            {
                var actor = rule.AttributeTo is { } field && trigger.Field(field) is { Length: > 0 } system ? $"{rule.Actor}:{system}" : rule.Actor;
                var reason = $"{rule.Event} after {earlier.Key} of {earlier.OccurredAt:yyyy-MM-dd} converts the lead (rule '{rule.Name}')";
                var converted = new StageTransition(at, machine.Stage, _profile.Config.ConversionStage, reason, actor, []);
                recorded.Add(converted);
                machine.Apply(converted, null);
            }
        }

        return Run(machine, events, points, cursor, until, recorded);
    }

    /// <summary>Events in [from, until] that an automatic conversion rule matches, oldest first, with the earlier event it needs.</summary>
    private IEnumerable<(DateTimeOffset At, ConversionRule Rule, LeadEvent Trigger, LeadEvent Earlier)> ConversionTriggers(List<LeadEvent> events, DateTimeOffset from, DateTimeOffset until)
    {
        var rules = _profile.Config.ConversionRules;
        if (rules.Count == 0 || from > until)
        {
            yield break;
        }

        foreach (var trigger in events.Where(e => e.OccurredAt >= from && e.OccurredAt <= until))
        {
            foreach (var rule in rules.Where(r => r.Event == trigger.Key && Condition.All(r.When, trigger.Field)))
            {
                var earlier = events.LastOrDefault(e => rule.After.Contains(e.Key, StringComparer.Ordinal)
                    && e.OccurredAt <= trigger.OccurredAt && e.OccurredAt >= trigger.OccurredAt - rule.Window);
                if (earlier is not null)
                {
                    yield return (trigger.OccurredAt, rule, trigger, earlier);
                    break;
                }
            }
        }
    }

    private static IEnumerable<DateTimeOffset> Between(SortedSet<DateTimeOffset> points, DateTimeOffset from, DateTimeOffset until) =>
        from <= until ? points.GetViewBetween(from, until) : [];

    private static string QualifiedReason(ScoreBreakdown b)
    {
        var direct = b.DirectRules.Where(r => r.Holds).Select(r => $"'{r.Rule}'").ToList();
        var threshold = LeadScorer.Format(b.Threshold);
        if (b.QualifiesByScore)
        {
            var reason = b.IntentSince is null
                ? $"score {LeadScorer.Format(b.Score)} exceeds the threshold {threshold}"
                : $"re-qualified after a person recycled it: fit {LeadScorer.Format(b.Fit)} + new intent {LeadScorer.Format(b.Intent)} = {LeadScorer.Format(b.Score)} exceeds {threshold}";
            return direct.Count == 0 ? reason : $"{reason}; direct rule {string.Join(", ", direct)} also holds";
        }

        var after = b.IntentSince is null ? string.Empty : " on new engagement after a person recycled it";
        return $"direct qualification by rule {string.Join(", ", direct)}{after} (score {LeadScorer.Format(b.Score)}, threshold {threshold})";
    }

    private static string RecycledReason(ScoreBreakdown atStart, ScoreBreakdown atDrop)
    {
        if (!atDrop.Contactable)
        {
            return $"no longer reachable (needs {atDrop.ContactRequirement})";
        }

        var since = atDrop.LastEngagementAt is { } last ? $" with no engagement since {last:yyyy-MM-dd}" : string.Empty;
        var reason = $"score {LeadScorer.Format(atDrop.Score)} no longer exceeds the threshold {LeadScorer.Format(atDrop.Threshold)}{since}";
        var expired = atStart.DirectRules.Where(r => r.Holds).Select(r => $"'{r.Rule}'").ToList();
        return expired.Count == 0 ? reason : $"{reason}; direct rule {string.Join(", ", expired)} expired";
    }

    /// <summary>The stage being replayed: where the lead is, since when, its hand-off, and whether a person recycled it.</summary>
    private sealed class Machine
    {
        public LeadStage Stage { get; set; }

        public DateTimeOffset Since { get; set; }

        public Handoff? Handoff { get; set; }

        /// <summary>When the lead was converted (recorded or by an automatic conversion rule in this run).</summary>
        public HashSet<DateTimeOffset> ConvertedAt { get; } = [];

        /// <summary>When a person recycled the lead, if that is how it came to be Recycled.</summary>
        public DateTimeOffset? RecycledByPersonAt { get; set; }

        /// <param name="storedHandoff">The stored hand-off, for MQL transitions recorded before hand-offs were kept with them.</param>
        public void Apply(StageTransition transition, Handoff? storedHandoff)
        {
            Stage = transition.To;
            Since = transition.At;
            RecycledByPersonAt = transition.To == LeadStage.Recycled && transition.IsPersonal ? transition.At : null;
            Handoff = transition.To switch
            {
                LeadStage.Mql => transition.Handoff ?? storedHandoff,
                LeadStage.Recycled => null,
                _ => Handoff,
            };
        }
    }
}
