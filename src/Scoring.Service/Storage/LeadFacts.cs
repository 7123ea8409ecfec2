namespace Scoring.Service.Storage;

/// <summary>
/// What lists and the funnel filter and group a lead by, as of its last evaluation: its practice location (or the
/// location it names), its service line and its lead type. Kept apart from the hand-off, which only an MQL has.
/// </summary>
internal sealed record LeadFacts(string? Location, string? ServiceLine, string? LeadType)
{
    public static LeadFacts None { get; } = new(null, null, null);
}
