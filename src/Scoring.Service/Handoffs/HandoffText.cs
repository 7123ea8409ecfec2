using System.Globalization;
using System.Text;

namespace Scoring.Service.Handoffs;

/// <summary>A hand-off in words, for people (Slack messages and e-mails): the same fields as the payload, nothing more.</summary>
internal static class HandoffText
{
    public static string Subject(HandoffPayload payload)
    {
        var lead = payload.Lead;
        return payload.Type switch
        {
            HandoffKinds.Mql => $"New MQL for {lead.Queue}{Interest(lead)}",
            HandoffKinds.SlaBreach => $"SLA missed in {lead.Queue}{Interest(lead)}",
            _ => $"Lead moved from {lead.PreviousStage ?? "-"} to {lead.Stage}",
        };
    }

    public static string Body(HandoffPayload payload)
    {
        var lead = payload.Lead;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Lead {lead.Id}: {lead.Stage}, score {lead.Score} (threshold {lead.Threshold})");
        if (lead.Queue is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; queue {lead.Queue}");
        }

        if (lead.DueAt is { } due)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {(payload.Type == HandoffKinds.SlaBreach ? "was due" : "respond by")} {due:yyyy-MM-dd HH:mm} UTC ({lead.Sla} in office hours)");
        }

        if (lead.Location is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; location {lead.Location}");
        }

        if (lead.ServiceInterest is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; interested in {lead.ServiceInterest}");
        }

        text.Append(lead.DoNotText ? ". Do not text: the person opted out of SMS." : ".");
        return text.ToString();
    }

    private static string Interest(HandoffLead lead) => lead.ServiceInterest is { } line ? $" ({line})" : string.Empty;
}
