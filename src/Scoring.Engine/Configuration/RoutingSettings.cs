using Scoring.Engine.Routing;

namespace Scoring.Engine.Configuration;

/// <summary>
/// Where an MQL goes: named queues with a response-time SLA, and rules over lead attributes (first match wins;
/// the last rule has no conditions, so every MQL lands somewhere).
/// </summary>
public sealed record RoutingSettings
{
    /// <summary>The vertical's default time zone for SLAs (a practice's locations set their own).</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>The vertical's default opening hours (Monday to Friday 09:00-17:00 unless written).</summary>
    public IReadOnlyDictionary<DayOfWeek, OpeningHours> OfficeHours { get; init; } = OfficeCalendar.WeekdaysNineToFive;

    /// <summary>The vertical's default holidays (local dates).</summary>
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();

    /// <summary>The calendar SLAs are counted in when a lead has no practice location.</summary>
    public OfficeCalendar Calendar => new(TimeZone, OfficeHours, Holidays);

    public required IReadOnlyDictionary<string, QueueDefinition> Queues { get; init; }

    public required IReadOnlyList<RoutingRule> Rules { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}

/// <summary>A team's queue (scheduling, referral coordinator, sales) and how fast it must respond to an MQL.</summary>
public sealed record QueueDefinition
{
    public required string Name { get; init; }

    public required Sla Sla { get; init; }

    /// <summary>True for a queue that answers round the clock (<c>hours: always</c>): its SLA ignores office hours.</summary>
    public bool AlwaysOpen { get; init; }

    public string? Description { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}

/// <summary>Sends MQLs whose attributes match <see cref="When"/> to <see cref="Queue"/>.</summary>
public sealed record RoutingRule
{
    /// <summary>Conditions on lead attributes (by attribute name); empty matches every lead.</summary>
    public IReadOnlyList<Condition> When { get; init; } = [];

    public required string Queue { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public required string Path { get; init; }
}
