using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scoring.Service.Handoffs.Senders;

/// <summary>
/// A signed webhook in the Standard Webhooks form: <c>POST</c> of the payload with <c>webhook-id</c> (the idempotency
/// key, also sent as <c>Idempotency-Key</c>), <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature</c>
/// (<c>v1,</c> + base64 HMAC-SHA256 of <c>id.timestamp.body</c> with the destination's secret). Receivers verify the
/// signature, reject stale timestamps, and ignore an id they have seen (retries carry the same id).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time) : IHandoffSender
{
    public string Kind => HandoffDestinationKinds.Webhook;

    public static string Sign(byte[] secret, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}")));

    public async Task<DeliveryResult> SendAsync(HandoffDestination destination, HandoffPayload payload, string json, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, destination.Url) { Content = HttpDelivery.Json(json) };
        request.Headers.Add("webhook-id", payload.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Sign(destination.Secret, payload.Id, timestamp, json));
        request.Headers.Add("Idempotency-Key", payload.Id);
        return (await HttpDelivery.SendAsync(clients.CreateClient(HttpDelivery.ClientName), request, cancellationToken)).Result;
    }
}
