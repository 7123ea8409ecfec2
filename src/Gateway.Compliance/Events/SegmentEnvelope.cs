using System.Text.Json;

namespace Gateway.Compliance.Events;

/// <summary>
/// The parts of a Segment event the gateway reads before its schema: type, track name, message id and
/// the identity fields. Values are only held long enough to look up the event type and pseudonymize.
/// </summary>
public readonly struct SegmentEnvelope
{
    /// <summary>The Segment event types (HTTP Tracking API).</summary>
    public static readonly string[] Types = ["track", "identify", "page", "screen", "group", "alias"];

    private SegmentEnvelope(string type, JsonElement eventName, JsonElement messageId, JsonElement userId, JsonElement anonymousId)
    {
        Type = type;
        EventNameElement = eventName;
        MessageIdElement = messageId;
        UserIdElement = userId;
        AnonymousIdElement = anonymousId;
    }

    public string Type { get; }

    public JsonElement EventNameElement { get; }

    public JsonElement MessageIdElement { get; }

    public JsonElement UserIdElement { get; }

    public JsonElement AnonymousIdElement { get; }

    /// <summary>Reads the envelope. <paramref name="impliedType"/> is the endpoint's type (<c>/v1/track</c>), or null for batch items.</summary>
    public static bool TryRead(JsonElement element, string? impliedType, out SegmentEnvelope envelope, out string? problem)
    {
        envelope = default;
        problem = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = "event-not-an-object";
            return false;
        }

        string? type = impliedType;
        if (type is null)
        {
            if (!element.TryGetProperty("type"u8, out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                problem = "type-missing";
                return false;
            }

            type = Types.FirstOrDefault(t => typeElement.ValueEquals(t));
            if (type is null)
            {
                problem = "type-unknown";
                return false;
            }
        }

        element.TryGetProperty("event"u8, out var eventName);
        element.TryGetProperty("messageId"u8, out var messageId);
        element.TryGetProperty("userId"u8, out var userId);
        element.TryGetProperty("anonymousId"u8, out var anonymousId);
        envelope = new SegmentEnvelope(type, eventName, messageId, userId, anonymousId);
        return true;
    }

    /// <summary>True when the element is a non-empty string or a number (Segment SDKs send ids as either).</summary>
    public static bool IsIdentifier(JsonElement element) =>
        (element.ValueKind == JsonValueKind.String && HasNonWhiteSpace(element))
        || element.ValueKind == JsonValueKind.Number;

    /// <summary>Same as <c>GetString().Trim().Length &gt; 0</c>, without making the string for plain ASCII text.</summary>
    private static bool HasNonWhiteSpace(JsonElement element)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        if (raw.IndexOf((byte)'\\') < 0 && System.Text.Ascii.IsValid(raw))
        {
            foreach (var b in raw)
            {
                if (b != (byte)'"' && !char.IsWhiteSpace((char)b))
                {
                    return true;
                }
            }

            return false;
        }

        return element.GetString()!.Trim().Length > 0;
    }

    /// <summary>The identifier as text (numbers as written).</summary>
    public static string IdentifierText(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
}
