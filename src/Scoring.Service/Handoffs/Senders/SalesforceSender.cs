using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Scoring.Service.Handoffs.Senders;

/// <summary>
/// A Salesforce upsert by external id (<c>PATCH /services/data/vXX.X/sobjects/Lead/Gateway_Lead_Id__c/{id}</c>, bearer
/// token): first with <c>updateOnly=true</c>, so the gateway's fields are updated and nothing a person entered is
/// overwritten; when no record has the id (404), again as an upsert that creates it, with the placeholders a Lead
/// requires (<c>LastName</c>, <c>Company</c>: no PHI; the practice re-identifies the lead in its own systems).
/// </summary>
internal sealed class SalesforceSender(IHttpClientFactory clients) : IHandoffSender
{
    public const string PlaceholderLastName = "Pseudonymous lead";

    public string Kind => HandoffDestinationKinds.Salesforce;

    public static Dictionary<string, object?> Fields(HandoffLead lead) => new(StringComparer.Ordinal)
    {
        ["Gateway_Score__c"] = lead.Score,
        ["Gateway_Stage__c"] = lead.Stage,
        ["Gateway_Queue__c"] = lead.Queue,
        ["Gateway_SLA_Due__c"] = lead.DueAt,
        ["Gateway_Service_Interest__c"] = lead.ServiceInterest,
        ["Gateway_Location__c"] = lead.Location,
        ["Gateway_Lead_Type__c"] = lead.LeadType,
        ["Gateway_Do_Not_Text__c"] = lead.DoNotText,
    };

    public async Task<DeliveryResult> SendAsync(HandoffDestination destination, HandoffPayload payload, string json, CancellationToken cancellationToken)
    {
        var settings = destination.Settings;
        var path = $"/services/data/{settings.ApiVersion}/sobjects/{settings.SObject}/{settings.ExternalIdField}/{Uri.EscapeDataString(payload.Lead.Id)}";
        var client = clients.CreateClient(HttpDelivery.ClientName);
        var fields = Fields(payload.Lead);
        using var updateOnly = Request(destination, path + "?updateOnly=true", fields);
        var (update, status) = await HttpDelivery.SendAsync(client, updateOnly, cancellationToken);
        if (status != HttpStatusCode.NotFound)
        {
            return update;
        }

        if (settings.SObject == "Lead")
        {
            fields["LastName"] = PlaceholderLastName;
            fields["Company"] = payload.Lead.Location ?? payload.Practice;
        }

        using var upsert = Request(destination, path, fields);
        return (await HttpDelivery.SendAsync(client, upsert, cancellationToken)).Result;
    }

    private static HttpRequestMessage Request(HandoffDestination destination, string path, Dictionary<string, object?> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(destination.Url!, path))
        {
            Content = HttpDelivery.Json(JsonSerializer.Serialize(fields)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Encoding.UTF8.GetString(destination.Secret));
        return request;
    }
}
