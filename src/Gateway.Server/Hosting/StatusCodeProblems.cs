using Gateway.Server.Ingest;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Server.Hosting;

/// <summary>
/// Gives every 4xx and 5xx that the framework answers without a body (unknown path 404, wrong method 405, a body the
/// admin API cannot bind 400) the same problem+json shape as the gateway's own refusals. The problem names the status
/// only, never the request. Refusals Kestrel makes before the app runs (431, 414, malformed HTTP) stay bodiless.
/// </summary>
internal static class StatusCodeProblems
{
    public static IApplicationBuilder UseStatusCodeProblems(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            var title = ReasonPhrases.GetReasonPhrase(status);
            await IngestResponses.FailureAsync(context.HttpContext.Response, new IngestFailure(status, "http-" + status, title,
                $"The request was refused ({status} {title}). Ingest accepts POST /v1/{{track|identify|page|screen|group|alias|batch|import}}."));
        });
}
