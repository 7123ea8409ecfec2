namespace Scoring.Service.Handoffs;

/// <summary>What a hand-off announces.</summary>
internal static class HandoffKinds
{
    /// <summary>A lead became an MQL and was routed to a queue.</summary>
    public const string Mql = "mql";

    /// <summary>An MQL passed its queue's SLA without an SQL, conversion, disqualification or recycling.</summary>
    public const string SlaBreach = "sla_breach";

    /// <summary>Any other stage change: recycled, SQL, appointment, opportunity, disqualified.</summary>
    public const string StageChanged = "stage_changed";

    public static readonly IReadOnlyList<string> All = [Mql, SlaBreach, StageChanged];
}

/// <summary>The destinations hand-offs can be delivered to.</summary>
internal static class HandoffDestinationKinds
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Email = "email";
    public const string HubSpot = "hubspot";
    public const string Salesforce = "salesforce";

    public static readonly IReadOnlyList<string> All = [Webhook, Slack, Email, HubSpot, Salesforce];
}
