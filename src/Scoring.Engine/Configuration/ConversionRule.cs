namespace Scoring.Engine.Configuration;

/// <summary>
/// Converts a lead without a person's decision when a system of record says so: an event of type
/// <see cref="Event"/> matching <see cref="When"/>, preceded within <see cref="Window"/> by one of the
/// <see cref="After"/> events, moves the lead from Lead, MQL, Recycled or SQL to the vertical's conversion stage.
/// E.g. a booked appointment in the practice-management system after the patient answered a recall. The
/// transition's actor is <see cref="Actor"/>, followed by the value of <see cref="AttributeTo"/> when the event
/// carries it (<c>pms:open_dental</c>), so the funnel and the lead's history say which system converted it.
/// </summary>
public sealed record ConversionRule
{
    public required string Name { get; init; }

    public required string Event { get; init; }

    public IReadOnlyList<Condition> When { get; init; } = [];

    /// <summary>Event types one of which must come before (or with) the converting event.</summary>
    public required IReadOnlyList<string> After { get; init; }

    /// <summary>How long before the converting event the earlier event may be.</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>The actor recorded on the transition; never <c>system</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>An event field whose value names the system the conversion is attributed to; null for none.</summary>
    public string? AttributeTo { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}
