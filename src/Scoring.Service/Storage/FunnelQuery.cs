namespace Scoring.Service.Storage;

/// <summary>Which leads the funnel covers: those created in [From, To), of a vertical and practice when given.</summary>
internal sealed record FunnelQuery(string? Vertical, string? Practice, DateTimeOffset From, DateTimeOffset To);
