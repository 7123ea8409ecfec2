namespace Gateway.Compliance.Policies.Definitions;

/// <summary>How a policy treats an event whose type or track name it does not list.</summary>
public enum UnlistedEventHandling
{
    /// <summary>Not forwarded; audited as dropped; the client is told it was accepted (it is not retryable).</summary>
    Drop,

    /// <summary>Not forwarded; audited as rejected; the client gets 400.</summary>
    Reject,
}

/// <summary>A vertical's policy as written in <c>policy.yaml</c>, after its format was checked.</summary>
public sealed record PolicyDefinition
{
    /// <summary>The vertical's name; equals the folder name.</summary>
    public required string Name { get; init; }

    /// <summary>The author's version string, recorded in every audit record.</summary>
    public required string Version { get; init; }

    public string? Description { get; init; }

    public UnlistedEventHandling UnlistedEvents { get; init; } = UnlistedEventHandling.Drop;

    public required IReadOnlyList<DestinationDefinition> Destinations { get; init; }

    /// <summary>Field rules for every event type; an event type's own rule for the same path wins.</summary>
    public required IReadOnlyList<FieldRuleDefinition> CommonFields { get; init; }

    public required IReadOnlyList<EventTypeDefinition> EventTypes { get; init; }

    public ConsentDefinition Consent { get; init; } = new();

    /// <summary>Named sets of values: what a <c>keep</c> rule with <c>values</c> forwards, and what a URL template's variable matches.</summary>
    public IReadOnlyList<ValueSetDefinition> ValueSets { get; init; } = [];

    /// <summary>Domain terms free text may keep besides the shipped English word list.</summary>
    public IReadOnlyList<string> Vocabulary { get; init; } = [];

    /// <summary>The practice sites' path templates and the hosts (besides each practice's own domains) a URL may name.</summary>
    public UrlsDefinition Urls { get; init; } = new();

    public required SourceLocation Location { get; init; }
}

/// <summary>
/// A named set of values (<c>values.service_line: [general, hygiene]</c>). Matching ignores case and look-alike
/// characters; the value is forwarded as listed. A practice's settings may add values to a set the policy declares.
/// </summary>
public sealed record ValueSetDefinition(string Name, IReadOnlyList<string> Values, SourceLocation Location);

/// <summary>The URL allow-list: site path templates and external hosts (e.g. search engines for referrers).</summary>
public sealed record UrlsDefinition
{
    /// <summary>Path templates such as <c>/services/{service_line}</c> or <c>/blog/{words}</c>, with where each is written.</summary>
    public IReadOnlyList<(string Template, SourceLocation Location)> Paths { get; init; } = [];

    /// <summary>Hosts that may be named besides each practice's own domains (never an IP address).</summary>
    public IReadOnlyList<(string Host, SourceLocation Location)> Hosts { get; init; } = [];
}

/// <summary>Where an event type's scrubbed events may go, and what each destination needs.</summary>
public sealed record DestinationDefinition
{
    public required string Name { get; init; }

    /// <summary>The YARP cluster id the destination is reached through.</summary>
    public required string Cluster { get; init; }

    public string? Description { get; init; }

    /// <summary>Consent purposes every event needs before it goes here (an event type may override).</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>What to do when the destination's BAA does not cover what would be sent.</summary>
    public WithoutBaaHandling WithoutBaa { get; init; } = WithoutBaaHandling.Drop;

    /// <summary>What the destination is: the scoring service (the default) or an ad platform.</summary>
    public DestinationKind Kind { get; init; } = DestinationKind.Scoring;

    /// <summary>False for a destination declared but switched off: no event goes there and no decision is recorded.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>For an ad platform: the event mapping, mode and identifier sources. Null for scoring.</summary>
    public AdDestinationDefinition? Ads { get; init; }

    public required SourceLocation Location { get; init; }
}

/// <summary>
/// An ad-platform destination's settings (docs/destinations.md): which track events become which conversion, how
/// its time is generalized, and whether identifiers may ever be sent (only under a HIPAA authorization).
/// </summary>
public sealed record AdDestinationDefinition
{
    /// <summary><c>deidentified</c> (the default: no identifier of any kind) or <c>authorized</c> (hashed contact and
    /// click ids for subjects whose ledger holds both <c>advertising</c> and <c>hipaa_authorization</c>).</summary>
    public AdMode Mode { get; init; } = AdMode.Deidentified;

    /// <summary>Decide and record what would be sent, never send it.</summary>
    public bool DryRun { get; init; }

    /// <summary>Track event name to the platform's event name (Meta) or conversion action key (Google).</summary>
    public required IReadOnlyDictionary<string, string> Events { get; init; }

    /// <summary>How precisely a de-identified conversion's time is sent.</summary>
    public AdTimeGranularity EventTime { get; init; } = AdTimeGranularity.Day;

    /// <summary>Meta's <c>action_source</c> (default <c>other</c>: <c>website</c> needs the browser's user agent, never sent).</summary>
    public string ActionSource { get; init; } = "other";

    /// <summary>The scrubbed event's path holding the conversion value, if any (a kept non-PHI number).</summary>
    public string? ValuePath { get; init; }

    /// <summary>ISO 4217 currency of the value.</summary>
    public string? Currency { get; init; }

    /// <summary>Raw-event paths holding the subject's own email (traits only), read only in authorized mode.</summary>
    public IReadOnlyList<string> EmailPaths { get; init; } = [];

    /// <summary>Raw-event paths holding the subject's own phone number (traits only), read only in authorized mode.</summary>
    public IReadOnlyList<string> PhonePaths { get; init; } = [];

    public required SourceLocation Location { get; init; }
}

/// <summary>The kinds of destination the gateway can send to.</summary>
public enum DestinationKind
{
    /// <summary>The MQL scoring service, through a YARP cluster, in the forwarded-events format.</summary>
    Scoring,

    /// <summary>Meta Conversions API (<c>meta-capi</c>).</summary>
    MetaCapi,

    /// <summary>Google Ads click conversions, enhanced conversions for leads (<c>google-ads-conversions</c>).</summary>
    GoogleAdsConversions,
}

/// <summary>What an ad destination may carry.</summary>
public enum AdMode
{
    /// <summary>Only de-identified conversions: a neutral event name, a generalized time, value; no identifier.</summary>
    Deidentified,

    /// <summary>Hashed contact and click ids, but only for subjects with a HIPAA authorization in force.</summary>
    Authorized,
}

/// <summary>How a de-identified conversion's time is truncated.</summary>
public enum AdTimeGranularity
{
    Day,
    Hour,
}

/// <summary>What happens to an event bound for a destination whose BAA does not cover its PHI.</summary>
public enum WithoutBaaHandling
{
    /// <summary>The event is not sent there.</summary>
    Drop,

    /// <summary>The event is reduced to its de-identified fields (non-phi, derived, generalized) and sent.</summary>
    Deidentify,
}

/// <summary>One event type: its schema, its rules, its destinations and the consent it needs.</summary>
public sealed record EventTypeDefinition
{
    /// <summary><c>identify</c>, <c>page</c>, <c>screen</c>, <c>group</c>, <c>alias</c> or <c>track</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The track event name; null for the other types.</summary>
    public string? EventName { get; init; }

    /// <summary>The schema file, relative to the policy folder.</summary>
    public required string Schema { get; init; }

    public required IReadOnlyList<FieldRuleDefinition> Fields { get; init; }

    /// <summary>Destinations this event type goes to; null means every destination of the policy.</summary>
    public IReadOnlyList<string>? Destinations { get; init; }

    /// <summary>Consent purposes per destination, overriding the destination's defaults.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Purposes { get; init; }

    public required SourceLocation Location { get; init; }

    /// <summary>The key used in audit records and errors: the type, or <c>track:Name</c>.</summary>
    public string Key => EventName is null ? Type : $"track:{EventName}";

    /// <summary>The path of this event type inside the policy file, for error messages.</summary>
    public string PolicyPath => EventName is null ? Type : $"track.\"{EventName}\"";
}

/// <summary>One field rule as written: a path, an action with its options, derived features and a class.</summary>
public sealed record FieldRuleDefinition
{
    public required string PathText { get; init; }

    public required string Action { get; init; }

    public required Newtonsoft.Json.Linq.JObject Options { get; init; }

    public IReadOnlyList<DeriveDefinition> Derive { get; init; } = [];

    public string? Class { get; init; }

    /// <summary>Where the rule is written in the policy, for error messages (e.g. <c>fields."context.ip"</c>).</summary>
    public required string PolicyPath { get; init; }

    public required SourceLocation Location { get; init; }
}

/// <summary>A feature to derive before the field's action runs, the name it is written under, and its options (e.g. <c>terms</c>).</summary>
public sealed record DeriveDefinition(string Feature, string OutputName, SourceLocation Location)
{
    /// <summary>Everything in the derive entry besides <c>feature</c> and <c>as</c>.</summary>
    public Newtonsoft.Json.Linq.JObject Options { get; init; } = [];
}

/// <summary>How the vertical reads consent from events (Segment's convention and SMS keywords).</summary>
public sealed record ConsentDefinition
{
    /// <summary>Segment <c>context.consent.categoryPreferences</c> category names to consent purposes.</summary>
    public IReadOnlyDictionary<string, string> CategoryPreferences { get; init; } = new Dictionary<string, string>();

    /// <summary>The track events whose <see cref="SmsKeywordField"/> carries an SMS reply (e.g. <c>SMS Reply Received</c>).</summary>
    public IReadOnlyList<string> SmsReplyEvents { get; init; } = [];

    /// <summary>The field of an SMS reply event that holds the reply text.</summary>
    public string SmsKeywordField { get; init; } = "properties.keyword";
}
