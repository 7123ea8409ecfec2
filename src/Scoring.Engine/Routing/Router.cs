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

    /// <summary>
    /// The hand-off of a lead that qualified at <paramref name="at"/>: the vertical's queue at the lead's practice
    /// location (<c>location/queue</c>, or the practice-wide queue), with the SLA that applies there counted in that
    /// location's office hours, time zone and holidays.
    /// </summary>
    public static Handoff HandOff(ScoringProfile profile, ScoreBreakdown breakdown, DateTimeOffset at)
    {
        var attribute = breakdown.AttributeValueOf;
        var queue = Route(profile.Config.Routing, attribute);
        var location = profile.LocationOf(attribute);
        var sla = profile.SlaFor(queue, location, attribute);
        return new Handoff(
            location is null ? queue.Name : $"{location.Id}/{queue.Name}",
            at,
            sla.DueAt(at, profile.CalendarFor(queue, location)),
            attribute(WellKnownAttributes.ServiceLine) is { } line ? FieldValues.Normalize(line) : null,
            location?.Id ?? (attribute(WellKnownAttributes.Location) is { } raw ? FieldValues.Normalize(raw) : null),
            sla.ToString());
    }
}
