using Scoring.Engine.Configuration;
using Scoring.Engine.Events;
using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;

namespace Scoring.Engine.Routing;

/// <summary>
/// Routes an MQL to a queue by its attributes (service line, location, referral source...): the first rule whose
/// conditions all match wins. Validation guarantees the last rule matches every lead.
/// </summary>
public static class Router
{
    public static QueueDefinition Route(RoutingSettings routing, Func<string, string?> attribute)
    {
        foreach (var rule in routing.Rules)
        {
            if (Condition.All(rule.When, attribute))
            {
                return routing.Queues[rule.Queue];
            }
        }

        throw new InvalidOperationException("No routing rule matched; the configuration's last rule must have no conditions.");
    }

    /// <summary>The hand-off of a lead that qualified at <paramref name="at"/>, with its SLA due time.</summary>
    public static Handoff HandOff(ScoringConfig config, ScoreBreakdown breakdown, DateTimeOffset at)
    {
        var queue = Route(config.Routing, breakdown.AttributeValueOf);
        return new Handoff(
            queue.Name,
            at,
            queue.Sla.DueAt(at, config.Routing.TimeZone),
            breakdown.AttributeValueOf(WellKnownAttributes.ServiceLine) is { } line ? FieldValues.Normalize(line) : null,
            breakdown.AttributeValueOf(WellKnownAttributes.Location) is { } location ? FieldValues.Normalize(location) : null);
    }
}
