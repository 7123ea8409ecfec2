using System.Text.Json;

namespace Gateway.Compliance.Audit;

/// <summary>An <c>event</c> audit record read back: the engine's decision for one event (docs/audit-format.md).</summary>
public sealed record AuditEventRecord
{
    public required string Practice { get; init; }

    public required string Vertical { get; init; }

    public required string PolicyVersion { get; init; }

    public required string PolicySha256 { get; init; }

    public string? MessageId { get; init; }

    /// <summary>The pseudonym of <c>userId</c>, else of <c>anonymousId</c>.</summary>
    public string? Subject { get; init; }

    /// <summary><c>identify</c>, ..., <c>track:Name</c>; null for an event type the policy does not list.</summary>
    public string? EventType { get; init; }

    /// <summary><c>forward</c>, <c>dropped</c> or <c>rejected</c>.</summary>
    public required string Outcome { get; init; }

    public string? Reason { get; init; }

    public IReadOnlyList<AuditDestinationDecision> Destinations { get; init; } = [];

    /// <summary>Action (<c>keep</c>, <c>hmac</c>, <c>generalize:zip3</c>, <c>drop</c>, ...) to policy paths.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fields { get; init; } = Empty;

    /// <summary>Policy path to the features derived from it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Derived { get; init; } = Empty;

    /// <summary>Policy path to the detectors that fired in its free text.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Detected { get; init; } = Empty;

    /// <summary>Where unnamed fields were dropped, as <c>parent.*</c>.</summary>
    public IReadOnlyList<string> Unmapped { get; init; } = [];

    public IReadOnlyList<string> Classes { get; init; } = [];

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Empty { get; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Reads an event record; null when it lacks the members every event record has.</summary>
    public static AuditEventRecord? Read(JsonElement root)
    {
        if (root.GetStringOrNull("practice") is not { } practice || root.GetStringOrNull("outcome") is not { } outcome)
        {
            return null;
        }

        var policy = root.TryGetProperty("policy", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        return new AuditEventRecord
        {
            Practice = practice,
            Vertical = root.GetStringOrNull("vertical") ?? string.Empty,
            PolicyVersion = policy.ValueKind == JsonValueKind.Object ? policy.GetStringOrNull("version") ?? string.Empty : string.Empty,
            PolicySha256 = policy.ValueKind == JsonValueKind.Object ? policy.GetStringOrNull("sha256") ?? string.Empty : string.Empty,
            MessageId = root.GetStringOrNull("messageId"),
            Subject = root.GetStringOrNull("subject"),
            EventType = root.GetStringOrNull("eventType"),
            Outcome = outcome,
            Reason = root.GetStringOrNull("reason"),
            Destinations = root.TryGetProperty("destinations", out var d) && d.ValueKind == JsonValueKind.Array
                ? [.. d.EnumerateArray().Select(AuditDestinationDecision.Read).OfType<AuditDestinationDecision>()]
                : [],
            Fields = root.GetListMap("fields"),
            Derived = root.GetListMap("derived"),
            Detected = root.GetListMap("detected"),
            Unmapped = root.GetStringList("unmapped"),
            Classes = root.GetStringList("classes"),
        };
    }
}

/// <summary>One destination decision inside an event record, with its consent and BAA basis (ids only).</summary>
public sealed record AuditDestinationDecision(
    string Name,
    string Outcome,
    string? Reason,
    IReadOnlyList<string> MissingPurposes,
    IReadOnlyList<long> Consent,
    long? Baa,
    bool Deidentified)
{
    public static AuditDestinationDecision? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || element.GetStringOrNull("name") is not { } name || element.GetStringOrNull("outcome") is not { } outcome)
        {
            return null;
        }

        return new AuditDestinationDecision(
            name,
            outcome,
            element.GetStringOrNull("reason"),
            element.GetStringList("missingPurposes"),
            element.TryGetProperty("consent", out var c) && c.ValueKind == JsonValueKind.Array
                ? [.. c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt64())]
                : [],
            element.TryGetProperty("baa", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt64() : null,
            element.TryGetProperty("deidentified", out var di) && di.ValueKind == JsonValueKind.True);
    }
}

/// <summary>A <c>delivery</c> audit record read back: one attempt to deliver events to a destination.</summary>
public sealed record AuditDeliveryRecord(
    string Practice,
    string Destination,
    string? Cluster,
    string? Attempt,
    bool Delivered,
    int? Status,
    string? Error,
    IReadOnlyList<string> MessageIds,
    bool Transmitted = false)
{
    /// <summary>True when the destination received the events: delivered, or refused after it read them (<c>transmitted</c>).</summary>
    public bool Disclosed => Delivered || Transmitted;

    public static AuditDeliveryRecord? Read(JsonElement root)
    {
        if (root.GetStringOrNull("practice") is not { } practice || root.GetStringOrNull("destination") is not { } destination)
        {
            return null;
        }

        return new AuditDeliveryRecord(
            practice,
            destination,
            root.GetStringOrNull("cluster"),
            root.GetStringOrNull("attempt"),
            root.TryGetProperty("delivered", out var d) && d.ValueKind == JsonValueKind.True,
            root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var status) ? status : null,
            root.GetStringOrNull("error"),
            root.GetStringList("messageIds"),
            root.TryGetProperty("transmitted", out var t) && t.ValueKind == JsonValueKind.True);
    }
}

/// <summary>Tolerant readers for audit JSON: a missing or mistyped member reads as absent.</summary>
internal static class AuditJsonReading
{
    public static string? GetStringOrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static IReadOnlyList<string> GetStringList(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> GetListMap(this JsonElement element, string name)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind == JsonValueKind.Array
                    ? [.. property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                    : [];
            }
        }

        return map;
    }
}
