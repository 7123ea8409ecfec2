using System.Globalization;
using Scoring.Engine.Configuration;
using Scoring.Engine.Events;

namespace Scoring.Engine.Scoring;

/// <summary>
/// Computes a lead's score at an instant from its events: fit (latest attribute values, no decay) plus intent
/// (each signal's points decayed from its own time, see <see cref="Decay"/>), against the threshold that applies to
/// the lead's location and service line. Only events that happened at or before the instant count, so the score at
/// any past instant can be recomputed exactly.
/// </summary>
public sealed class LeadScorer
{
    private readonly ScoringProfile _profile;
    private readonly ScoringConfig _config;
    private readonly IReadOnlyList<string> _serviceLineSources;
    private readonly IReadOnlyList<string> _smsOptOutSources;

    public LeadScorer(ScoringConfig config)
        : this(new ScoringProfile(config))
    {
    }

    public LeadScorer(ScoringProfile profile)
    {
        _profile = profile;
        _config = profile.Config;
        _serviceLineSources = _config.Attribute(WellKnownAttributes.ServiceLine)?.Sources ?? [];
        _smsOptOutSources = _config.Attribute(WellKnownAttributes.SmsOptOut)?.Sources ?? [];
    }

    public ScoringConfig Config => _config;

    public ScoringProfile Profile => _profile;

    /// <summary>
    /// Scores <paramref name="events"/> (any order; ties keep their order) as of <paramref name="at"/>. With
    /// <paramref name="intentSince"/> (a person recycled the lead then), only intent and direct rules from later
    /// events count, against the re-qualification threshold.
    /// </summary>
    public ScoreBreakdown Score(IReadOnlyList<LeadEvent> events, DateTimeOffset at, DateTimeOffset? intentSince = null)
    {
        var known = events.Where(e => e.OccurredAt <= at).OrderBy(e => e.OccurredAt).ToList();
        var attributes = Attributes(known);
        string? Attribute(string name) => attributes.TryGetValue(name, out var value) ? value.Value : null;
        var engaged = intentSince is { } since ? [.. known.Where(e => e.OccurredAt > since)] : known;
        var fitLines = _config.Fit.Select(rule => FitOf(rule, attributes)).ToList();
        var fit = fitLines.Sum(l => l.Points);
        var intentLines = IntentOf(engaged, at);
        var intent = intentLines.Where(l => l.Counted).Sum(l => l.DecayedPoints);
        var lastEngagement = intentLines.Count == 0 ? (DateTimeOffset?)null : intentLines.Max(l => l.At);

        return new ScoreBreakdown
        {
            At = at,
            Threshold = intentSince is null ? _profile.ThresholdFor(Attribute) : _profile.RequalifyThresholdFor(Attribute),
            DecayPerQuarter = _config.DecayPerQuarter,
            Fit = fit,
            Intent = intent,
            FitLines = fitLines,
            IntentLines = intentLines,
            DirectRules = [.. _config.DirectRules.Select(rule => DirectStatus(rule, engaged, fit, at))],
            Attributes = attributes,
            LastEngagementAt = lastEngagement,
            ContactRequirement = _config.Stages.DescribeContactable(),
            Contactable = _config.Stages.Contactable.Count == 0 || _config.Stages.Contactable.Any(way => Condition.All(way, Attribute)),
            DoNotText = known.Any(e => _smsOptOutSources.Any(source => e.Field(source) is { } value && FieldValues.Normalize(value) == "true")),
            LeadType = _config.LeadTypes.FirstOrDefault(rule => Condition.All(rule.When, Attribute))?.Type,
            IntentSince = intentSince,
        };
    }

    /// <summary>The service line an event itself names (first of the <c>service_line</c> attribute's sources).</summary>
    public string? ServiceLineOf(LeadEvent e)
    {
        foreach (var source in _serviceLineSources)
        {
            if (e.Field(source) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private Dictionary<string, AttributeValue> Attributes(List<LeadEvent> ordered)
    {
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var e in ordered)
        {
            foreach (var attribute in _config.Attributes)
            {
                foreach (var source in attribute.Sources)
                {
                    if (e.Field(source) is { } value)
                    {
                        values[attribute.Name] = new AttributeValue(attribute.Name, value, e.Key, e.OccurredAt);
                        break;
                    }
                }
            }
        }

        return values;
    }

    private static FitLine FitOf(FitRule rule, Dictionary<string, AttributeValue> attributes)
    {
        if (!attributes.TryGetValue(rule.Attribute, out var value))
        {
            return new FitLine(rule.Attribute, null, 0, "missing");
        }

        if (rule.Points.TryGetValue(FieldValues.Normalize(value.Value), out var points))
        {
            return new FitLine(rule.Attribute, value.Value, points, "matched");
        }

        return rule.Otherwise is { } otherwise
            ? new FitLine(rule.Attribute, value.Value, otherwise, "otherwise")
            : new FitLine(rule.Attribute, value.Value, 0, "unlisted");
    }

    private List<IntentLine> IntentOf(List<LeadEvent> ordered, DateTimeOffset at)
    {
        var lines = new List<IntentLine>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);

        // Most recent first, so maxCount keeps the newest events of each type.
        for (var i = ordered.Count - 1; i >= 0; i--)
        {
            var e = ordered[i];
            if (!_config.Intent.Events.TryGetValue(e.Key, out var rule))
            {
                continue;
            }

            var variant = rule.Variants.FirstOrDefault(v => Condition.All(v.When, e.Field));
            var basePoints = variant?.Points ?? rule.Points;
            var serviceLine = ServiceLineOf(e);
            var multiplier = serviceLine is null ? 1 : _config.Intent.ServiceLineMultiplier;
            var points = basePoints * multiplier;
            var count = counts.GetValueOrDefault(e.Key) + 1;
            counts[e.Key] = count;
            var counted = rule.MaxCount is not { } max || count <= max;
            var factor = Decay.Factor(_config.DecayPerQuarter, at - e.OccurredAt);
            lines.Add(new IntentLine(
                e.Key, e.OccurredAt, serviceLine, basePoints, variant?.Describe(), multiplier, points,
                factor, counted ? points * factor : 0, counted));
        }

        return lines;
    }

    private static DirectRuleStatus DirectStatus(DirectRule rule, List<LeadEvent> ordered, double fit, DateTimeOffset at)
    {
        LeadEvent? match = null;
        for (var i = ordered.Count - 1; i >= 0; i--)
        {
            var e = ordered[i];
            if (e.Key == rule.Event && Condition.All(rule.When, e.Field))
            {
                match = e;
                break;
            }
        }

        if (match is null)
        {
            return new DirectRuleStatus(rule.Name, false, null, null, $"no {rule.Event} event matches");
        }

        var until = match.OccurredAt + rule.Window;
        if (at > until)
        {
            return new DirectRuleStatus(rule.Name, false, match.OccurredAt, until, $"the matching {rule.Event} is older than {Days(rule.Window)} days");
        }

        if (rule.MinFit is { } minFit && fit < minFit)
        {
            return new DirectRuleStatus(rule.Name, false, match.OccurredAt, until, $"fit {Format(fit)} is below the rule's minimum {Format(minFit)}");
        }

        return new DirectRuleStatus(rule.Name, true, match.OccurredAt, until, $"{rule.Event} within {Days(rule.Window)} days qualifies directly");
    }

    /// <summary>
    /// Points as they are shown and compared with the threshold: rounded to two decimals (half away from zero), so a
    /// score that reads "60" never exceeds a threshold of 60 and one that exceeds it never reads as it.
    /// </summary>
    public static double Points(double points) => Math.Round(points, 2, MidpointRounding.AwayFromZero);

    internal static string Format(double points) => Points(points).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Days(TimeSpan window) => window.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
}
