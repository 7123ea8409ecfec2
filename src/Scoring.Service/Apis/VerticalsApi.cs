using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Service.Hosting;
using Scoring.Service.Security;

namespace Scoring.Service.Apis;

/// <summary>
/// <c>GET /ingest/v1/verticals</c>: the verticals this service can score (each with the SHA-256 of its
/// <c>scoring.yaml</c>), behind the gateway's ingest token. The gateway's readiness asks it, so a policy whose
/// destination cannot take its vertical shows before go-live instead of as dead letters after.
/// </summary>
internal static class VerticalsApi
{
    public const string Path = "/ingest/v1/verticals";

    public static IEndpointRouteBuilder MapVerticalsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Verticals).AddEndpointFilter<IngestTokenFilter>().WithName("ScorableVerticals");
        return app;
    }

    private static Ok<VerticalsResponse> Verticals(ScoringCatalog catalog) =>
        TypedResults.Ok(new VerticalsResponse([.. catalog.Sha256ByVertical.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new ScorableVertical(v.Key, v.Value))]));
}

/// <summary>The verticals the service has a valid scoring configuration for.</summary>
internal sealed record VerticalsResponse(IReadOnlyList<ScorableVertical> Verticals);

internal sealed record ScorableVertical(string Name, string Sha256);
