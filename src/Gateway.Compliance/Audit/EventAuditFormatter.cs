using System.Buffers;
using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Formats the audit body of one event decision: who (practice, pseudonymous subject), what (event type,
/// message id), under which policy (version and hash), the outcome, and field by field what was done
/// (paths and actions, never values). Unnamed fields appear as their parent path and <c>*</c>.
/// </summary>
public static class EventAuditFormatter
{
    public static byte[] Format(
        EventResult result,
        PracticeContext practice,
        CompiledPolicy policy,
        string outcome,
        string? reason,
        IReadOnlyList<DestinationDecision> destinations,
        long? quarantineId = null)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(AuditJson.Kind, AuditKinds.Event);
            writer.WriteString("practice", practice.Id);
            writer.WriteString("vertical", policy.Name);
            writer.WriteStartObject("policy");
            writer.WriteString("version", policy.Version);
            writer.WriteString("sha256", policy.Sha256);
            writer.WriteEndObject();
            writer.WriteNumber("index", result.Index);
            WriteNullable(writer, "messageId", result.MessageId);
            WriteNullable(writer, "subject", result.Subject);
            WriteNullable(writer, "eventType", result.EventType?.Key);
            writer.WriteString("outcome", outcome);
            WriteNullable(writer, "reason", reason);
            if (quarantineId is { } quarantine)
            {
                writer.WriteNumber("quarantine", quarantine);
            }
            writer.WriteStartArray("destinations");
            foreach (var destination in destinations)
            {
                WriteDecision(writer, destination);
            }

            writer.WriteEndArray();

            if (result.Violations.Count > 0)
            {
                writer.WriteStartArray("violations");
                foreach (var violation in result.Violations)
                {
                    writer.WriteStartObject();
                    writer.WriteString("path", violation.Path);
                    writer.WriteString("rule", violation.Rule);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.Flush();
            if (!result.FieldsAudit.IsEmpty)
            {
                buffer.Write(","u8);
                buffer.Write(result.FieldsAudit.Span);
            }

            buffer.Write("}"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The members describing what was done to an event's fields: <c>classes</c>, <c>fields</c>,
    /// <c>derived</c>, <c>detected</c>, <c>unmapped</c> (comma-separated members, no braces).
    /// </summary>
    public static byte[] FormatFields(FieldTrace trace, DataClasses classes)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("classes");
            foreach (var name in classes.ToNames())
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            WriteFields(writer, trace);
            writer.WriteEndObject();
        }

        var span = buffer.WrittenSpan;
        return span[1..^1].ToArray();
    }

    private static void WriteDecision(Utf8JsonWriter writer, DestinationDecision decision)
    {
        writer.WriteStartObject();
        writer.WriteString("name", decision.Destination);
        writer.WriteString("outcome", decision.Outcome);
        if (decision.Reason is not null)
        {
            writer.WriteString("reason", decision.Reason);
        }

        if (decision.MissingPurposes.Count > 0)
        {
            writer.WriteStartArray("missingPurposes");
            foreach (var purpose in decision.MissingPurposes)
            {
                writer.WriteStringValue(purpose);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("consent");
        foreach (var id in decision.ConsentRecordIds)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
        if (decision.BaaRecordId is { } baa)
        {
            writer.WriteNumber("baa", baa);
        }
        else
        {
            writer.WriteNull("baa");
        }

        if (decision.Deidentified)
        {
            writer.WriteBoolean("deidentified", true);
            writer.WriteStartArray("withheld");
            foreach (var path in decision.Withheld)
            {
                writer.WriteStringValue(path);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter writer, FieldTrace trace)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var derived = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var traced in trace.Rules)
        {
            var path = traced.Rule.Path.Text;
            var op = traced.Rule.Operator;
            if (traced.Written)
            {
                Add(groups, op.Method is null ? op.Action : $"{op.Action}:{op.Method}", path);
            }

            if (traced.Dropped)
            {
                Add(groups, "drop", path);
            }

            if (traced.Invalid)
            {
                Add(groups, "invalid", path);
            }

            if (traced.Withheld)
            {
                Add(groups, "withheld", path);
            }

            if (traced.Derived)
            {
                foreach (var derivation in traced.Rule.Derivations)
                {
                    Add(derived, path, derivation.OutputName);
                }
            }
        }

        writer.WriteStartObject("fields");
        foreach (var (action, paths) in groups)
        {
            WriteList(writer, action, paths);
        }

        writer.WriteEndObject();

        if (derived.Count > 0)
        {
            writer.WriteStartObject("derived");
            foreach (var (path, features) in derived)
            {
                WriteList(writer, path, features);
            }

            writer.WriteEndObject();
        }

        var detections = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (rule, detector) in trace.Detections)
        {
            Add(detections, rule.Path.Text, detector);
        }

        if (detections.Count > 0)
        {
            writer.WriteStartObject("detected");
            foreach (var (path, detectors) in detections)
            {
                detectors.Sort(StringComparer.Ordinal);
                WriteList(writer, path, detectors);
            }

            writer.WriteEndObject();
        }

        var unmapped = trace.UnmappedPaths.Order(StringComparer.Ordinal).ToList();
        if (unmapped.Count > 0)
        {
            WriteList(writer, "unmapped", unmapped);
        }
    }

    private static void Add(SortedDictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    private static void WriteList(Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
