namespace Scoring.Service.Storage;

/// <summary>Filters for overdue MQLs; null means any.</summary>
internal sealed record OverdueQuery(string? Practice, string? Vertical, string? Queue, string? Location);
