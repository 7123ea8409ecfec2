namespace Scoring.Engine.Configuration;

/// <summary>
/// Points for one event type. The first variant whose conditions match the event gives its points instead of
/// the base points. With <see cref="MaxCount"/>, only the most recent events of this type count.
/// </summary>
public sealed record IntentRule
{
    public required string Event { get; init; }

    public required double Points { get; init; }

    public int? MaxCount { get; init; }

    public IReadOnlyList<IntentVariant> Variants { get; init; } = [];

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public string Path => $"intent.events.{ConfigPaths.Key(Event)}";
}

/// <summary>Points for events of a type whose fields match conditions (e.g. a recall response of <c>scheduled</c>).</summary>
public sealed record IntentVariant
{
    public required IReadOnlyList<Condition> When { get; init; }

    public required double Points { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public string Describe() => string.Join(" and ", When.Select(c => c.Describe()));
}
