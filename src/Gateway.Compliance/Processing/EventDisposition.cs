namespace Gateway.Compliance.Processing;

/// <summary>What the engine decided for one event, before any I/O.</summary>
public enum EventDisposition
{
    /// <summary>Scrubbed and ready to forward to its destinations.</summary>
    Forward,

    /// <summary>Deliberately not forwarded under the policy (e.g. an unlisted event type); the client is told it was accepted.</summary>
    Dropped,

    /// <summary>Permanently invalid (malformed envelope, schema violation, unlisted event under 'reject'); the client gets 400.</summary>
    Rejected,
}

/// <summary>Why an event was dropped or rejected: stable names, recorded in audit records and problem details.</summary>
public static class EventReasons
{
    public const string NotAnObject = "event-not-an-object";
    public const string TypeMissing = "type-missing";
    public const string TypeUnknown = "type-unknown";
    public const string UnlistedEventType = "unlisted-event-type";
    public const string SchemaInvalid = "schema-invalid";
    public const string IdentityMissing = "identity-missing";
    public const string EventTooLarge = "event-too-large";

    /// <summary>A string or property name holds invalid UTF-8 or an escaped lone surrogate (<c>"\ud800"</c>): not text,
    /// and parsers disagree on what it means, so the event is refused rather than guessed at.</summary>
    public const string InvalidText = "invalid-text";

    /// <summary>The engine could not process the event's values (a defect the event exposed); nothing of it was forwarded.</summary>
    public const string Unprocessable = "unprocessable";
}
