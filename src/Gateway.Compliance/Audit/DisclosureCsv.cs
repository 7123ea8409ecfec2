using System.Globalization;

namespace Gateway.Compliance.Audit;

/// <summary>
/// An accounting of disclosures as CSV, one row per disclosure (45 CFR 164.528: when, to whom, what, under
/// which agreement), with the audit records it was read from. The same columns from gatewayctl and the console.
/// The person appears only as the pseudonyms the report was computed for, which the CSV does not contain.
/// </summary>
public static class DisclosureCsv
{
    public static readonly IReadOnlyList<string> Header =
    [
        "disclosed_at", "destination", "practice", "vertical", "event_type", "event_time", "policy_version", "policy_sha256", "baa", "consent",
        "deidentified", "kept", "pseudonymized", "tokenized", "generalized", "redacted_text", "derived",
        "withheld_dropped", "withheld_invalid", "withheld_not_allowed", "withheld_unmapped", "message_id", "attempt", "event_record", "delivery_record",
    ];

    public static void Write(TextWriter output, DisclosureReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Csv.WriteRow(output, Header);
        foreach (var d in report.Disclosures)
        {
            var f = d.Fields;
            Csv.WriteRow(output,
            [
                Csv.Time(d.Time), d.Destination, d.Practice, d.Vertical, d.EventType, Csv.Time(d.EventTime), d.PolicyVersion, d.PolicySha256,
                d.Baa?.ToString(CultureInfo.InvariantCulture), string.Join(';', d.Consent), d.Deidentified ? "true" : "false",
                string.Join(';', f.Kept), string.Join(';', f.Pseudonymized), string.Join(';', f.Tokenized),
                string.Join(';', f.Generalized.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={string.Join('|', g.Value)}")),
                string.Join(';', f.RedactedText), string.Join(';', f.Derived),
                string.Join(';', f.Dropped), string.Join(';', f.Invalid), string.Join(';', f.NotAllowed), string.Join(';', f.Unmapped),
                d.MessageId, d.Attempt, d.EventRecord.ToString(), d.DeliveryRecord.ToString(),
            ]);
        }
    }
}
