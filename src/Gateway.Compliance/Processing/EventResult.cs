using Gateway.Compliance.Classification;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Schemas;

namespace Gateway.Compliance.Processing;

/// <summary>
/// The engine's result for one event: the disposition, the event type, the pseudonymous ids, any
/// schema violations (paths and rules only), and where its scrubbed JSON sits in the output buffer.
/// </summary>
public sealed class EventResult
{
    internal EventResult(int index)
    {
        Index = index;
    }

    /// <summary>The event's position in its request (0 for single-event endpoints).</summary>
    public int Index { get; }

    public EventDisposition Disposition { get; internal set; }

    /// <summary>A stable reason name for drops and rejections (<see cref="EventReasons"/>); null when forwarded.</summary>
    public string? Reason { get; internal set; }

    /// <summary>The matched event type; null when none matched.</summary>
    public CompiledEventType? EventType { get; internal set; }

    /// <summary>The message id as forwarded: the practice's pseudonym of the client's id, or one derived from the event's bytes.</summary>
    public string? MessageId { get; internal set; }

    /// <summary>The pseudonymous subject: the pseudonym of <c>userId</c>, else of <c>anonymousId</c>.</summary>
    public string? Subject { get; internal set; }

    /// <summary>Every subject pseudonym the event carries (userId's, anonymousId's): consent is looked up across all of them.</summary>
    public IReadOnlyList<string> SubjectIds { get; internal set; } = [];

    /// <summary>Consent decisions the event itself carries (categoryPreferences, SMS opt-out replies).</summary>
    public IReadOnlyList<Consent.ConsentSignal> ConsentSignals { get; internal set; } = [];

    /// <summary>The audit members describing what was done to the fields (classes, fields, derived, detected,
    /// unmapped), captured right after scrubbing: the trace itself is reused for the next event. Held in the
    /// processor's buffer, like <see cref="Output"/>: valid until the processor is reset for another request.</summary>
    public ReadOnlyMemory<byte> FieldsAudit { get; internal set; }

    public IReadOnlyList<SchemaViolation> Violations { get; internal set; } = [];

    /// <summary>The classes of the scrubbed event (for BAA checks).</summary>
    public DataClasses Classes { get; internal set; }

    /// <summary>Offset and length of the scrubbed event in the output buffer.</summary>
    public (int Offset, int Length) Output { get; internal set; }
}
