using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Scoring.Service.Handoffs.Senders;

/// <summary>
/// A HubSpot contact upsert (<c>POST /crm/v3/objects/contacts/batch/upsert</c>, a private app's bearer token): the
/// contact is found or created by a unique property holding the lead's id (<c>idProperty</c>, default
/// <c>gateway_lead_id</c>) and its <c>gateway_*</c> properties set. The portal needs those custom properties.
/// </summary>
internal sealed class HubSpotSender(IHttpClientFactory clients) : IHandoffSender
{
    public string Kind => HandoffDestinationKinds.HubSpot;

    public static IReadOnlyDictionary<string, string> Properties(HandoffLead lead) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gateway_score"] = lead.Score.ToString(CultureInfo.InvariantCulture),
        ["gateway_stage"] = lead.Stage,
        ["gateway_queue"] = lead.Queue ?? string.Empty,
        ["gateway_sla_due_at"] = lead.DueAt?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
        ["gateway_service_interest"] = lead.ServiceInterest ?? string.Empty,
        ["gateway_location"] = lead.Location ?? string.Empty,
        ["gateway_lead_type"] = lead.LeadType ?? string.Empty,
        ["gateway_do_not_text"] = lead.DoNotText ? "true" : "false",
    };

    public async Task<DeliveryResult> SendAsync(HandoffDestination destination, HandoffPayload payload, string json, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            inputs = new[] { new { idProperty = destination.Settings.IdProperty, id = payload.Lead.Id, properties = Properties(payload.Lead) } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(destination.Url!, "/crm/v3/objects/contacts/batch/upsert")) { Content = HttpDelivery.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", System.Text.Encoding.UTF8.GetString(destination.Secret));
        return (await HttpDelivery.SendAsync(clients.CreateClient(HttpDelivery.ClientName), request, cancellationToken)).Result;
    }
}
