namespace Gateway.Server.Ingest;

/// <summary>The Segment HTTP Tracking API endpoints the gateway accepts, and the event type each implies.</summary>
internal sealed record SegmentEndpoint(string Name, string? ImpliedType, bool IsBatch)
{
    public static readonly SegmentEndpoint[] All =
    [
        new("track", "track", false),
        new("identify", "identify", false),
        new("page", "page", false),
        new("screen", "screen", false),
        new("group", "group", false),
        new("alias", "alias", false),
        new("batch", null, true),
        new("import", null, true),
    ];
}
