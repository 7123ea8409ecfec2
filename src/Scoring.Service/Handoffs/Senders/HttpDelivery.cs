using System.Net;

namespace Scoring.Service.Handoffs.Senders;

/// <summary>Sends one HTTP request for a hand-off and classifies the answer (2xx delivered; 408, 429, 5xx, errors retried).</summary>
internal static class HttpDelivery
{
    /// <summary>The named <see cref="HttpClient"/> hand-offs use (10 s timeout, no automatic redirects).</summary>
    public const string ClientName = "handoffs";

    public static async Task<(DeliveryResult Result, HttpStatusCode? Status)> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            var status = $"HTTP {code}";
            return response.IsSuccessStatusCode
                ? (DeliveryResult.Ok(status), response.StatusCode)
                : (DeliveryResult.Failed(status, code is 408 or 429 || code >= 500), response.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            return (DeliveryResult.Failed($"network error ({ex.HttpRequestError})", retry: true), null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (DeliveryResult.Failed("timed out", retry: true), null);
        }
    }

    public static HttpContent Json(string json) => new StringContent(json, System.Text.Encoding.UTF8, "application/json");
}
