using System.Globalization;
using System.Text;
using Gateway.Compliance.Audit;

namespace Gateway.Cli.Support;

/// <summary>
/// One audit record as flat columns (CSV export and search): the chain position, the common members, the
/// event decision and the delivery members. Lists are joined with <c>;</c>, maps as <c>key=a|b;key2=c</c>.
/// Records of other kinds keep their members in <c>detail</c> (JSON). Nothing here is a raw identifier:
/// records never hold one.
/// </summary>
internal static class RecordColumns
{
    public static readonly string[] Header =
    [
        "instance", "seq", "ts", "kind", "practice", "vertical", "policy_version", "policy_sha256", "event_type", "outcome", "reason",
        "subject", "message_id", "destinations", "fields", "derived", "detected", "unmapped", "classes",
        "destination", "attempt", "delivered", "status", "error", "message_ids", "detail", "file", "line", "hash",
    ];

    public static IEnumerable<string?> Row(AuditRecord record)
    {
        var e = record.Event;
        var d = record.Delivery;
        AuditLine.TryParseChain(record.Raw.Span, out _, out _, out var hash);
        return
        [
            record.Instance,
            record.Seq.ToString(CultureInfo.InvariantCulture),
            Time(record.Time),
            record.Kind,
            e?.Practice ?? d?.Practice,
            e?.Vertical,
            e?.PolicyVersion,
            e?.PolicySha256,
            e?.EventType,
            e?.Outcome ?? (d is null ? null : d.Delivered ? "delivered" : "failed"),
            e?.Reason,
            e?.Subject,
            e?.MessageId,
            e is null ? null : Destinations(e),
            e is null ? null : Map(e.Fields),
            e is null ? null : Map(e.Derived),
            e is null ? null : Map(e.Detected),
            e is null ? null : string.Join(';', e.Unmapped),
            e is null ? null : string.Join(';', e.Classes),
            d?.Destination,
            d?.Attempt,
            d is null ? null : d.Delivered ? "true" : "false",
            d?.Status?.ToString(CultureInfo.InvariantCulture),
            d?.Error,
            d is null ? null : string.Join(';', d.MessageIds),
            e is null && d is null ? Detail(record) : null,
            record.File,
            record.Line.ToString(CultureInfo.InvariantCulture),
            hash,
        ];
    }

    public static string Time(DateTimeOffset time) => Csv.Time(time);

    /// <summary><c>scoring:forward:baa=7:consent=11|12</c>, one per destination, joined with <c>;</c>.</summary>
    public static string Destinations(AuditEventRecord e) => string.Join(';', e.Destinations.Select(d =>
    {
        var text = new StringBuilder($"{d.Name}:{d.Outcome}");
        if (d.Reason is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $":{d.Reason}");
        }

        if (d.Baa is { } baa)
        {
            text.Append(CultureInfo.InvariantCulture, $":baa={baa}");
        }

        if (d.Consent.Count > 0)
        {
            text.Append(":consent=").Append(string.Join('|', d.Consent));
        }

        if (d.Deidentified)
        {
            text.Append(":deidentified");
        }

        return text.ToString();
    }));

    public static string Map(IReadOnlyDictionary<string, IReadOnlyList<string>> map) =>
        string.Join(';', map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={string.Join('|', kv.Value)}"));

    /// <summary>The members of a record that is neither an event nor a delivery, without the chain members.</summary>
    private static string Detail(AuditRecord record)
    {
        var members = record.Root.EnumerateObject()
            .Where(p => p.Name is not (AuditJson.Seq or AuditJson.Time or AuditJson.Instance or AuditJson.Kind or AuditJson.Prev or AuditJson.Hash))
            .Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        return "{" + string.Join(',', members) + "}";
    }
}
