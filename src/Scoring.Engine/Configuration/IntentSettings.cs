namespace Scoring.Engine.Configuration;

/// <summary>How engagement is weighted: points per event type, and a multiplier for signals tied to a service line.</summary>
public sealed record IntentSettings
{
    /// <summary>
    /// Applied to an event's points when the event itself names a service line (one of the
    /// <c>service_line</c> attribute's sources has a value): intent about a specific service counts more than
    /// broad browsing. 1 disables it.
    /// </summary>
    public double ServiceLineMultiplier { get; init; } = 1;

    /// <summary>Rules by event key: a track event's name, or <c>page</c>, <c>screen</c>, <c>identify</c>, <c>group</c>.</summary>
    public required IReadOnlyDictionary<string, IntentRule> Events { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}
