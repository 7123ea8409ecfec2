using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Events;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Schemas;

namespace Gateway.Compliance.Processing;

/// <summary>
/// The engine for one request's events: reads each envelope, finds its event type, validates it, and
/// writes its scrubbed form into one output buffer. Pure: no I/O, no clock other than the date given.
/// Not thread-safe; use one per request (or pool them).
/// </summary>
public sealed class EventProcessor
{
    /// <summary>Segment's per-event limit (32 KB): the default of <see cref="MaxEventBytes"/>.</summary>
    public const int DefaultMaxEventBytes = 32 * 1024;

    private readonly OutputBuffer _buffer = new(4096);
    private readonly OutputBuffer _audit = new(4096);
    private readonly ScrubOutput _output = new();
    private readonly List<SchemaViolation> _violations = [];
    private Utf8JsonWriter? _writer;

    public ScrubContext Context { get; } = new();

    /// <summary>The scrubbed events written so far, back to back.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>The largest event (raw UTF-8 bytes) processed; larger ones are rejected. The host sets it from its limits.</summary>
    public int MaxEventBytes { get; private set; } = DefaultMaxEventBytes;

    /// <summary>Clears the output buffer; call once per request. <paramref name="maxEventBytes"/> is the host's per-event limit.</summary>
    public void Reset(PracticeContext practice, DateOnly today, int maxEventBytes = DefaultMaxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventBytes);
        MaxEventBytes = maxEventBytes;
        _buffer.Clear();
        _audit.Clear();
        Context.Reset(practice, today);
    }

    /// <summary>
    /// Processes one event. <paramref name="impliedType"/> is the endpoint's type for single-event
    /// endpoints, null for batch items. Rejections and drops carry a reason and no output.
    /// Never throws for what an event contains: an event the engine cannot process is rejected
    /// (<see cref="EventReasons.Unprocessable"/>) and its partial output discarded, so the request's other events
    /// are unaffected. Failures of the host's own services (a tokenizer without a usable key) still throw,
    /// so the host fails the request closed.
    /// </summary>
    public EventResult Process(int index, JsonElement evt, string? impliedType, CompiledPolicy policy, DataClasses allowed = (DataClasses)~0)
    {
        var result = new EventResult(index);
        var start = _buffer.WrittenCount;
        try
        {
            return ProcessCore(result, evt, impliedType, policy, allowed);
        }
        catch (Exception ex) when (IsCausedByInput(ex))
        {
            _buffer.Truncate(start);
            Context.CurrentRule = null;
            result.Output = default;
            result.FieldsAudit = default;
            result.Classes = default;
            result.ConsentSignals = [];
            result.Violations = [];
            return Reject(result, EventReasons.Unprocessable);
        }
    }

    /// <summary>
    /// The exceptions that processing one event can throw because of what it holds: value handling (invalid text,
    /// unparsable or unconvertible numbers, JSON readers), a pattern that ran out of time, and the defects an odd
    /// value exposes. They are a property of the event, not of the gateway: retrying cannot help, so the event is
    /// rejected for good (never a retryable status that would block the SDK's queue). Outages of the host's
    /// services, notably <see cref="System.Security.Cryptography.CryptographicException"/>, propagate.
    /// </summary>
    private static bool IsCausedByInput(Exception ex) =>
        ex is ArgumentException or FormatException or ArithmeticException or InvalidCastException
            or JsonException or Newtonsoft.Json.JsonException
            or System.Text.RegularExpressions.RegexMatchTimeoutException or NotSupportedException
            or IndexOutOfRangeException or KeyNotFoundException or NullReferenceException
        || (ex is InvalidOperationException && ex is not ObjectDisposedException);

    private EventResult ProcessCore(EventResult result, JsonElement evt, string? impliedType, CompiledPolicy policy, DataClasses allowed)
    {
        var practice = Context.Practice;

        if (evt.ValueKind == JsonValueKind.Object && !JsonText.IsValidUnicode(JsonMarshal.GetRawUtf8Value(evt)))
        {
            return Reject(result, EventReasons.InvalidText);
        }

        if (!SegmentEnvelope.TryRead(evt, impliedType, out var envelope, out var problem))
        {
            return Reject(result, problem!);
        }

        result.MessageId = MessageIdFor(practice, evt, envelope.MessageIdElement);
        result.SubjectIds = SubjectIdsOf(practice, envelope, Context.Pseudonyms);
        result.Subject = result.SubjectIds.Count > 0 ? result.SubjectIds[0] : null;

        if (JsonMarshal.GetRawUtf8Value(evt).Length > MaxEventBytes)
        {
            return Reject(result, EventReasons.EventTooLarge);
        }

        string? eventName = null;
        if (envelope.Type == "track")
        {
            if (envelope.EventNameElement.ValueKind != JsonValueKind.String)
            {
                _violations.Clear();
                result.Violations = [new SchemaViolation("event", "string-expected")];
                return Reject(result, EventReasons.SchemaInvalid);
            }

            eventName = FindTrackName(policy, envelope.EventNameElement);
        }

        if (!policy.TryGetEventType(envelope.Type, eventName, out var eventType))
        {
            result.Disposition = policy.Definition.UnlistedEvents == UnlistedEventHandling.Reject ? EventDisposition.Rejected : EventDisposition.Dropped;
            result.Reason = EventReasons.UnlistedEventType;
            return result;
        }

        result.EventType = eventType;
        if (result.Subject is null)
        {
            return Reject(result, EventReasons.IdentityMissing);
        }

        _violations.Clear();
        if (!eventType.Validator.Validate(evt, _violations))
        {
            result.Violations = [.. _violations];
            return Reject(result, EventReasons.SchemaInvalid);
        }

        result.Output = Scrub(evt, eventType, result.MessageId, allowed);
        result.Classes = Context.Trace.Classes;
        result.FieldsAudit = Audit.EventAuditFormatter.FormatFields(Context.Trace, result.Classes, _audit);
        result.ConsentSignals = ConsentSignalReader.Read(evt, eventType, policy);
        result.Disposition = EventDisposition.Forward;
        return result;
    }

    /// <summary>
    /// Scrubs an already processed event again, allowing only <paramref name="allowed"/> classes (to send a
    /// de-identified form where no BAA covers the full one). Returns where the reduced event was written and
    /// the policy paths whose output was withheld.
    /// </summary>
    public ((int Offset, int Length) Output, IReadOnlyList<string> Withheld) Rescrub(EventResult result, JsonElement evt, DataClasses allowed)
    {
        if (result.Disposition != EventDisposition.Forward || result.EventType is null)
        {
            throw new InvalidOperationException("Only forwardable events can be scrubbed again.");
        }

        var output = Scrub(evt, result.EventType, result.MessageId!, allowed);
        return (output, [.. Context.Trace.Rules.Where(r => r.Withheld).Select(r => r.Rule.Path.Text)]);
    }

    private (int Offset, int Length) Scrub(JsonElement evt, CompiledEventType eventType, string messageId, DataClasses allowed)
    {
        var start = _buffer.WrittenCount;
        var writer = Writer();
        _output.Reset(writer);
        try
        {
            EventScrubber.Scrub(evt, eventType, Context, _output, messageId, allowed);
            writer.Flush();
        }
        catch
        {
            // Whatever the writer already committed belongs to no event; the next Writer() call drops what it still holds.
            _buffer.Truncate(start);
            throw;
        }

        return (start, _buffer.WrittenCount - start);
    }

    /// <summary>The scrubbed JSON of a forwarded event.</summary>
    public ReadOnlySpan<byte> OutputOf(EventResult result) => _buffer.WrittenSpan.Slice(result.Output.Offset, result.Output.Length);

    private Utf8JsonWriter Writer()
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            _writer.Reset(_buffer);
        }

        return _writer;
    }

    private static EventResult Reject(EventResult result, string reason)
    {
        result.Disposition = EventDisposition.Rejected;
        result.Reason = reason;
        return result;
    }

    private static string? FindTrackName(CompiledPolicy policy, JsonElement name)
    {
        var text = name.GetString()!;
        return policy.TryGetTrackEvent(text, out _) ? text : null;
    }

    /// <summary>
    /// The subject pseudonyms: of <c>userId</c> first, then of <c>anonymousId</c>, under the active key and then
    /// under retired keys (so consent recorded before a key rotation still applies). Empty when neither id is usable.
    /// </summary>
    internal static IReadOnlyList<string> SubjectIdsOf(PracticeContext practice, SegmentEnvelope envelope, PseudonymMemo? memo = null)
    {
        ReadOnlySpan<JsonElement> elements = [envelope.UserIdElement, envelope.AnonymousIdElement];
        var perKey = 0;
        foreach (var element in elements)
        {
            perKey += SegmentEnvelope.IsIdentifier(element) ? 1 : 0;
        }

        if (perKey == 0)
        {
            return [];
        }

        var keys = practice.Keys.All;
        var ids = new string[perKey * keys.Count];
        var next = 0;
        foreach (var key in keys)
        {
            foreach (var element in elements)
            {
                if (SegmentEnvelope.IsIdentifier(element))
                {
                    var text = SegmentEnvelope.IdentifierText(element);
                    var id = Pseudonymizer.Pseudonymize(key, text, IdentifierNormalization.Exact);
                    ids[next++] = id;
                    memo?.Remember(key, IdentifierNormalization.Exact, text, id);
                }
            }
        }

        return ids;
    }

    /// <summary>
    /// The forwarded message id: a pseudonym of the client's <c>messageId</c> (a client may put anything
    /// there), or, when absent, one derived from the event's exact bytes so that a retried event keeps its id.
    /// </summary>
    internal static string MessageIdFor(PracticeContext practice, JsonElement evt, JsonElement messageId)
    {
        var key = practice.Keys.Active;
        if (messageId.ValueKind == JsonValueKind.String && messageId.GetString() is { Length: > 0 } text)
        {
            return Pseudonymizer.Pseudonymize(key, text, IdentifierNormalization.Exact);
        }

        Span<byte> mac = stackalloc byte[32];
        key.ComputeHmac(JsonMarshal.GetRawUtf8Value(evt), mac);
        return "gw-" + key.Id + ":" + Base64Url.EncodeToString(mac[..Pseudonymizer.PseudonymBytes]);
    }
}
