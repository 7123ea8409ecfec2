using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Scoring.Service.Options;

namespace Scoring.Service.Security;

/// <summary>
/// Lets a request to the leads, funnel or MQL API through only with an <c>X-Api-Key</c> whose SHA-256 is one of
/// <c>Api:Keys</c>, and remembers the key's name: stage changes record which client made them.
/// </summary>
internal sealed class ApiKeyFilter : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    private const string ClientItem = "scoring.api-client";

    private readonly IOptions<ApiOptions> _options;

    public ApiKeyFilter(IOptions<ApiOptions> options)
    {
        _options = options;
    }

    public static string? ClientOf(HttpContext context) => context.Items[ClientItem] as string;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[Header].ToString();
        if (presented.Length > 0)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
            foreach (var (name, expected) in _options.Value.Keys)
            {
                if (SecretHashes.IsValid(expected) && CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(expected)))
                {
                    context.HttpContext.Items[ClientItem] = name;
                    return next(context);
                }
            }
        }

        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: $"A valid API key is required in the {Header} header."));
    }
}
