namespace Scoring.Engine.Configuration;

/// <summary>
/// Makes a lead an MQL whatever its score: an event of type <see cref="Event"/> matching <see cref="When"/>, from a
/// lead whose fit is at least <see cref="MinFit"/>, qualifies the lead from the event's time until
/// <see cref="Window"/> later (inclusive). E.g. an appointment request for a high-value service.
/// </summary>
public sealed record DirectRule
{
    public required string Name { get; init; }

    public required string Event { get; init; }

    public IReadOnlyList<Condition> When { get; init; } = [];

    /// <summary>Fit points the lead needs (fit at the time of evaluation); null means no minimum.</summary>
    public double? MinFit { get; init; }

    public required TimeSpan Window { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public string Describe()
    {
        var when = When.Count == 0 ? string.Empty : " where " + string.Join(" and ", When.Select(c => c.Describe()));
        return $"'{Name}' ({Event}{when})";
    }
}
