using System.Text.Json;

namespace Scoring.Service.Handoffs.Senders;

/// <summary>
/// A Slack-compatible incoming-webhook message: <c>POST {"text": ...}</c> to the webhook URL (read from a file: the
/// URL is the secret). The text says what the payload says (<see cref="HandoffText"/>).
/// </summary>
internal sealed class SlackSender(IHttpClientFactory clients) : IHandoffSender
{
    public string Kind => HandoffDestinationKinds.Slack;

    public async Task<DeliveryResult> SendAsync(HandoffDestination destination, HandoffPayload payload, string json, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Serialize(new { text = $"*{HandoffText.Subject(payload)}*\n{HandoffText.Body(payload)}" });
        using var request = new HttpRequestMessage(HttpMethod.Post, destination.Url) { Content = HttpDelivery.Json(message) };
        return (await HttpDelivery.SendAsync(clients.CreateClient(HttpDelivery.ClientName), request, cancellationToken)).Result;
    }
}
