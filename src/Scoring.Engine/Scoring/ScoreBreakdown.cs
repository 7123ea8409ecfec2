namespace Scoring.Engine.Scoring;

/// <summary>
/// A lead's score at one instant and why: fit points per attribute, intent points per event after decay, the
/// direct-qualification rules and the threshold. Computed from events on every read; never stored.
/// </summary>
public sealed record ScoreBreakdown
{
    public required DateTimeOffset At { get; init; }

    /// <summary>The threshold the score must exceed (the lead's location's or service line's, else the vertical's).</summary>
    public required double Threshold { get; init; }

    public required double DecayPerQuarter { get; init; }

    public required double Fit { get; init; }

    /// <summary>Intent points after decay.</summary>
    public required double Intent { get; init; }

    public double Score => Fit + Intent;

    public required IReadOnlyList<FitLine> FitLines { get; init; }

    /// <summary>Every event that matched an intent rule, most recent first (uncounted ones included).</summary>
    public required IReadOnlyList<IntentLine> IntentLines { get; init; }

    public required IReadOnlyList<DirectRuleStatus> DirectRules { get; init; }

    /// <summary>The lead's attributes as known at <see cref="At"/>.</summary>
    public required IReadOnlyDictionary<string, AttributeValue> Attributes { get; init; }

    /// <summary>The latest event that matched an intent rule; decay runs from each signal, so from here for the whole.</summary>
    public DateTimeOffset? LastEngagementAt { get; init; }

    /// <summary>How a lead can be reached, in words (e.g. <c>email_valid = true or phone_valid = true</c>); empty: no requirement.</summary>
    public string ContactRequirement { get; init; } = string.Empty;

    /// <summary>One way to reach the lead holds (or none is required): someone can contact it.</summary>
    public bool Contactable { get; init; } = true;

    /// <summary>The person replied STOP (or another opt-out keyword) to a text at some point: do not text.</summary>
    public bool DoNotText { get; init; }

    /// <summary>The lead's type by the vertical's <c>leadTypes</c> rules (patient, referral, buyer); null without rules.</summary>
    public string? LeadType { get; init; }

    /// <summary>Set when only intent after this instant counts (re-qualifying after a person recycled the lead).</summary>
    public DateTimeOffset? IntentSince { get; init; }

    /// <summary>The score, as shown (two decimals), exceeds the threshold.</summary>
    public bool QualifiesByScore => LeadScorer.Points(Score) > Threshold;

    public bool QualifiesDirectly => DirectRules.Any(r => r.Holds);

    /// <summary>An MQL: reachable, and the score exceeds the threshold or a direct rule holds.</summary>
    public bool Qualifies => Contactable && (QualifiesByScore || QualifiesDirectly);

    public string? AttributeValueOf(string attribute) => Attributes.TryGetValue(attribute, out var value) ? value.Value : null;
}

/// <summary>A lead attribute's current value and the event it came from.</summary>
public sealed record AttributeValue(string Attribute, string Value, string FromEvent, DateTimeOffset At);

/// <summary>Fit points from one attribute. <see cref="Basis"/>: <c>matched</c>, <c>otherwise</c>, <c>unlisted</c> or <c>missing</c>.</summary>
public sealed record FitLine(string Attribute, string? Value, double Points, string Basis);

/// <summary>
/// Intent points from one event: base (or variant) points, times the service-line multiplier, times the decay
/// factor for the event's age. Events beyond a rule's <c>maxCount</c> are listed with <see cref="Counted"/> false.
/// </summary>
public sealed record IntentLine(
    string Event,
    DateTimeOffset At,
    string? ServiceLine,
    double BasePoints,
    string? Variant,
    double Multiplier,
    double Points,
    double DecayFactor,
    double DecayedPoints,
    bool Counted);

/// <summary>Whether a direct-qualification rule holds, on which event, and until when.</summary>
public sealed record DirectRuleStatus(string Rule, bool Holds, DateTimeOffset? MatchedAt, DateTimeOffset? Until, string Explanation);
