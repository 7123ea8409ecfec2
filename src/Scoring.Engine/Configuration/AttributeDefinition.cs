namespace Scoring.Engine.Configuration;

/// <summary>
/// A lead attribute (e.g. <c>service_line</c>, <c>insurance_status</c>, <c>age_band</c>) and the event fields that
/// carry it, in order of preference within one event. Across events the most recent value wins.
/// </summary>
public sealed record AttributeDefinition
{
    public required string Name { get; init; }

    /// <summary>Event field paths such as <c>properties.service_line</c> or <c>derived.age_band</c>.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}
