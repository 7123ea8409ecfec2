namespace Gateway.Server.Ingest;

/// <summary>Maps Segment's HTTP Tracking API: <c>POST /v1/{track|identify|page|screen|group|alias|batch|import}</c>.</summary>
internal static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").RequireCors(IngestCors.PolicyName);
        foreach (var endpoint in SegmentEndpoint.All)
        {
            group.MapPost("/" + endpoint.Name, (HttpContext http, IngestPipeline pipeline) => pipeline.HandleAsync(http, endpoint))
                .WithName("ingest-" + endpoint.Name);
        }

        return endpoints;
    }
}

/// <summary>Browser SDKs (analytics.js) post cross-origin; write keys are public there, so any origin may send, without credentials.</summary>
internal static class IngestCors
{
    public const string PolicyName = "ingest";
}
