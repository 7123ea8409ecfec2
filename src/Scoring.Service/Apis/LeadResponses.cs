using Scoring.Engine.Configuration;
using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;
using Scoring.Service.Leads;
using Scoring.Service.Storage;

namespace Scoring.Service.Apis;

/// <summary>
/// The leads API's wire format: a lead's full breakdown (fit per attribute, intent per event after decay, direct
/// rules, threshold, stage and why, hand-off and history), and list items. Points are rounded to 2 decimals.
/// </summary>
internal sealed record LeadResponse(
    string Practice,
    string Subject,
    string Vertical,
    string ConfigVersion,
    DateTimeOffset EvaluatedAt,
    LeadStage Stage,
    DateTimeOffset StageSince,
    string Why,
    ScoreResponse Score,
    IReadOnlyList<FitLineResponse> Fit,
    IReadOnlyList<IntentLineResponse> Intent,
    int UncountedIntentEvents,
    IReadOnlyList<DirectRuleStatus> DirectRules,
    DecayResponse Decay,
    IReadOnlyDictionary<string, AttributeResponse> Attributes,
    string? Location,
    string? LeadType,
    bool DoNotText,
    HandoffResponse? Handoff,
    IReadOnlyList<TransitionResponse> Transitions)
{
    public static LeadResponse From(LeadDetails details)
    {
        var b = details.Evaluation.Breakdown;
        var state = details.Evaluation.State;
        var entry = details.Transitions.LastOrDefault(t => t.Transition.To == state.Stage)?.Transition;
        var counted = b.IntentLines.Where(l => l.Counted).OrderByDescending(l => l.At).ToList();
        return new LeadResponse(
            details.Lead.Key.Practice,
            details.Lead.Key.Subject,
            details.Lead.Vertical,
            details.Profile.Config.Version,
            b.At,
            state.Stage,
            state.StageSince,
            StageExplanation.Why(state.Stage, b, entry),
            ScoreResponse.From(b),
            [.. b.FitLines.Select(l => new FitLineResponse(l.Attribute, l.Value, Round(l.Points), l.Basis))],
            [.. counted.Select(IntentLineResponse.From)],
            b.IntentLines.Count - counted.Count,
            b.DirectRules,
            DecayResponse.From(b),
            b.Attributes.ToDictionary(a => a.Key, a => new AttributeResponse(a.Value.Value, a.Value.FromEvent, a.Value.At), StringComparer.Ordinal),
            details.Profile.LocationOf(b.AttributeValueOf)?.Id ?? b.AttributeValueOf(WellKnownAttributes.Location),
            b.LeadType,
            b.DoNotText,
            HandoffResponse.From(state, b),
            [.. details.Transitions.Select(TransitionResponse.Of)]);
    }

    public static double Round(double points) => Math.Round(points, 2, MidpointRounding.AwayFromZero);

    /// <summary>The strongest counted signals now: what the next team should know first.</summary>
    public static IReadOnlyList<string> TopSignals(ScoreBreakdown breakdown, int count = 3) =>
        [.. breakdown.IntentLines
            .Where(l => l.Counted && l.DecayedPoints > 0)
            .OrderByDescending(l => l.DecayedPoints)
            .Take(count)
            .Select(l => $"{l.Event}{(l.ServiceLine is { } line ? $" ({line})" : string.Empty)} on {l.At:yyyy-MM-dd}: {Round(l.DecayedPoints).ToString(System.Globalization.CultureInfo.InvariantCulture)} points")];
}

/// <summary>The score now: total = fit + intent (after decay), against the threshold.</summary>
internal sealed record ScoreResponse(double Total, double Fit, double Intent, double Threshold, bool QualifiesByScore, bool QualifiesDirectly)
{
    public static ScoreResponse From(ScoreBreakdown b) =>
        new(LeadResponse.Round(b.Score), LeadResponse.Round(b.Fit), LeadResponse.Round(b.Intent), b.Threshold, b.QualifiesByScore, b.QualifiesDirectly);
}

/// <summary>Fit points from one attribute; basis: matched, otherwise, unlisted or missing.</summary>
internal sealed record FitLineResponse(string Attribute, string? Value, double Points, string Basis);

/// <summary>One counted intent signal: points (base or variant × service-line multiplier) × decay factor.</summary>
internal sealed record IntentLineResponse(
    string Event, DateTimeOffset At, string? ServiceLine, double BasePoints, string? Variant, double Multiplier, double Points, double DecayFactor, double DecayedPoints)
{
    public static IntentLineResponse From(IntentLine l) => new(
        l.Event, l.At, l.ServiceLine, l.BasePoints, l.Variant, l.Multiplier, LeadResponse.Round(l.Points),
        Math.Round(l.DecayFactor, 6, MidpointRounding.AwayFromZero), LeadResponse.Round(l.DecayedPoints));
}

/// <summary>How intent decays for this vertical, and how long the lead has been quiet.</summary>
internal sealed record DecayResponse(double PerQuarter, string Formula, DateTimeOffset? LastEngagementAt, double? QuartersSinceLastEngagement)
{
    public const string DecayFormula = "points x (1 - perQuarter) ^ ((now - event time) / 91.3125 days), per signal; fit does not decay";

    public static DecayResponse From(ScoreBreakdown b) => new(
        b.DecayPerQuarter,
        DecayFormula,
        b.LastEngagementAt,
        b.LastEngagementAt is { } last ? Math.Round(Scoring.Engine.Scoring.Decay.Quarters(b.At - last), 4, MidpointRounding.AwayFromZero) : null);
}

/// <summary>An attribute's current value and the event it came from.</summary>
internal sealed record AttributeResponse(string Value, string FromEvent, DateTimeOffset At);

/// <summary>Where the MQL was routed, its SLA, whether it is overdue, and the context the queue needs.</summary>
internal sealed record HandoffResponse(
    string Queue, DateTimeOffset AssignedAt, DateTimeOffset DueAt, string? Sla, bool Overdue, string? ServiceInterest, string? Location, IReadOnlyList<string> TopSignals)
{
    public static HandoffResponse? From(LeadState state, ScoreBreakdown b) =>
        state.Handoff is not { } h
            ? null
            : new HandoffResponse(
                h.Queue, h.AssignedAt, h.DueAt, h.Sla,
                state.Stage == LeadStage.Mql && h.IsOverdue(b.At),
                h.ServiceLine, h.Location, LeadResponse.TopSignals(b));
}

/// <summary>One recorded stage change.</summary>
internal sealed record TransitionResponse(DateTimeOffset At, LeadStage? From, LeadStage To, string Reason, string Actor, string? Client, IReadOnlyList<string> Criteria)
{
    public static TransitionResponse Of(StoredTransition t) =>
        new(t.Transition.At, t.Transition.From, t.Transition.To, t.Transition.Reason, t.Transition.Actor, t.Client, t.Transition.Criteria);
}

/// <summary>A lead in a list, scored now.</summary>
internal sealed record LeadListItem(
    string Practice,
    string Subject,
    string Vertical,
    LeadStage Stage,
    DateTimeOffset StageSince,
    double? Score,
    double? Fit,
    double? Intent,
    string? Queue,
    DateTimeOffset? DueAt,
    bool Overdue,
    string? ServiceLine,
    string? Location,
    string? LeadType,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastEventAt)
{
    public static LeadListItem From(LeadSummary summary, DateTimeOffset now)
    {
        var lead = summary.Lead;
        var h = lead.State.Handoff;
        var b = summary.Breakdown;
        return new LeadListItem(
            lead.Key.Practice, lead.Key.Subject, lead.Vertical, lead.State.Stage, lead.State.StageSince,
            b is null ? null : LeadResponse.Round(b.Score), b is null ? null : LeadResponse.Round(b.Fit), b is null ? null : LeadResponse.Round(b.Intent),
            h?.Queue, h?.DueAt, lead.State.Stage == LeadStage.Mql && h is not null && h.IsOverdue(now),
            lead.Facts.ServiceLine, lead.Facts.Location, lead.Facts.LeadType, lead.CreatedAt, lead.LastEventAt);
    }
}

/// <summary>A page of leads.</summary>
internal sealed record LeadListResponse(IReadOnlyList<LeadListItem> Leads, int Limit, int Offset);

/// <summary>An MQL past its queue's SLA, with what the queue needs to act.</summary>
internal sealed record OverdueMqlResponse(
    string Practice,
    string Subject,
    string Vertical,
    string Queue,
    DateTimeOffset AssignedAt,
    DateTimeOffset DueAt,
    double OverdueMinutes,
    string? ServiceInterest,
    string? Location,
    double? Score,
    IReadOnlyList<string> TopSignals)
{
    public static OverdueMqlResponse From(LeadSummary summary, DateTimeOffset now)
    {
        var lead = summary.Lead;
        var h = lead.State.Handoff!;
        return new OverdueMqlResponse(
            lead.Key.Practice, lead.Key.Subject, lead.Vertical, h.Queue, h.AssignedAt, h.DueAt,
            Math.Round((now - h.DueAt).TotalMinutes, 1), h.ServiceLine, h.Location,
            summary.Breakdown is { } b ? LeadResponse.Round(b.Score) : null,
            summary.Breakdown is { } breakdown ? LeadResponse.TopSignals(breakdown) : []);
    }
}

/// <summary>The overdue MQLs at <see cref="At"/>.</summary>
internal sealed record OverdueResponse(DateTimeOffset At, IReadOnlyList<OverdueMqlResponse> Leads);
