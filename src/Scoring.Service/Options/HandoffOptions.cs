namespace Scoring.Service.Options;

/// <summary>
/// Where hand-offs go (<c>Handoffs:Destinations:&lt;name&gt;</c>) and how the worker delivers them. Secrets (signing keys,
/// SMTP passwords, CRM tokens, Slack webhook URLs) are read from files named here, never from configuration values,
/// and never logged.
/// </summary>
internal sealed class HandoffOptions
{
    public const string Section = "Handoffs";

    public const int DefaultPollSeconds = 15;

    public const int DefaultMaxAttempts = 10;

    /// <summary>How often the worker catches up on due leads, queues SLA breaches and delivers due messages.</summary>
    public int PollSeconds { get; set; } = DefaultPollSeconds;

    /// <summary>Attempts per message before it is given up (backoff 30 s, doubling, at most 1 h between attempts).</summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    public Dictionary<string, HandoffDestinationOptions> Destinations { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One destination of one practice's hand-offs.</summary>
internal sealed class HandoffDestinationOptions
{
    /// <summary>The practice whose hand-offs go here. Required.</summary>
    public string? Practice { get; set; }

    /// <summary><c>webhook</c>, <c>slack</c>, <c>email</c>, <c>hubspot</c> or <c>salesforce</c>. Required.</summary>
    public string? Kind { get; set; }

    /// <summary>What is sent: any of <c>mql</c>, <c>sla_breach</c>, <c>stage_changed</c> (default: all).</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Webhook URL; HubSpot API base (default https://api.hubapi.com); Salesforce instance URL.</summary>
    public string? Url { get; set; }

    /// <summary>A file holding the URL (Slack: the incoming-webhook URL is itself the secret).</summary>
    public string? UrlFile { get; set; }

    /// <summary>Webhook signing secret (<c>whsec_</c> base64, or raw text); HubSpot or Salesforce bearer token.</summary>
    public string? SecretFile { get; set; }

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary>STARTTLS before authenticating; required unless the SMTP host is loopback.</summary>
    public bool StartTls { get; set; } = true;

    public string? From { get; set; }

    public List<string> To { get; set; } = [];

    public string? UserName { get; set; }

    public string? PasswordFile { get; set; }

    /// <summary>HubSpot: the unique contact property holding the lead's id.</summary>
    public string IdProperty { get; set; } = "gateway_lead_id";

    /// <summary>Salesforce: the object and its external-id field, and the REST API version.</summary>
    public string SObject { get; set; } = "Lead";

    public string ExternalIdField { get; set; } = "Gateway_Lead_Id__c";

    public string ApiVersion { get; set; } = "v62.0";
}
