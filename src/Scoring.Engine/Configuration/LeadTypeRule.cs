namespace Scoring.Engine.Configuration;

/// <summary>
/// Classifies a lead (patient, referral partner, B2B buyer) by its attributes: the first rule whose conditions all
/// match names the type; the last rule has no conditions. The funnel can be split by it.
/// </summary>
public sealed record LeadTypeRule
{
    public IReadOnlyList<Condition> When { get; init; } = [];

    public required string Type { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public required string Path { get; init; }
}
