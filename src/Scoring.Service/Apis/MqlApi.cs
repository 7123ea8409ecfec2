using Scoring.Service.Leads;
using Scoring.Service.Security;
using Scoring.Service.Storage;

namespace Scoring.Service.Apis;

/// <summary>
/// <c>GET /api/mql/overdue</c>: MQLs whose queue's response-time SLA has passed without an SQL, conversion or
/// disqualification, most overdue first, with what the queue needs to act (service interest, top signals).
/// </summary>
internal static class MqlApi
{
    public static IEndpointRouteBuilder MapMqlApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/mql/overdue", async (string? practice, string? vertical, string? queue, string? location, LeadService service, CancellationToken cancellationToken) =>
            {
                var (leads, now) = await service.OverdueAsync(new OverdueQuery(practice, vertical, queue, location), cancellationToken);
                return TypedResults.Ok(new OverdueResponse(now, [.. leads.Select(l => OverdueMqlResponse.From(l, now))]));
            })
            .AddEndpointFilter<ApiKeyFilter>()
            .WithName("OverdueMqls");
        return app;
    }
}
