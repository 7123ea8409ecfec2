using Microsoft.Extensions.Options;
using Scoring.Service.Options;

namespace Scoring.Service.Security;

/// <summary>
/// Lets a request through only with <c>Authorization: Bearer &lt;token&gt;</c> whose SHA-256 is
/// <c>Ingest:TokenSha256</c>. Runs before the body is read, so unauthenticated bodies are never parsed.
/// </summary>
internal sealed class IngestTokenFilter : IEndpointFilter
{
    private readonly IOptions<IngestOptions> _options;

    public IngestTokenFilter(IOptions<IngestOptions> options)
    {
        _options = options;
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && SecretHashes.Matches(header[Scheme.Length..].Trim(), _options.Value.TokenSha256 ?? string.Empty))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "A valid gateway bearer token is required."));
    }
}
