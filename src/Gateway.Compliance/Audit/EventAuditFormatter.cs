using System.Buffers;
using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Schemas;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Formats the audit body of one event decision: who (practice, pseudonymous subject), what (event type,
/// message id), under which policy (version and hash), the outcome, and field by field what was done
/// (paths and actions, never values). Unnamed fields appear as their parent path and <c>*</c>.
/// </summary>
public static class EventAuditFormatter
{
    /// <summary>
    /// The buffer and writer <see cref="Format"/> reuses on each thread (the body is copied out, so nothing of one
    /// event stays visible to the next; the buffer is cleared before reuse). Saves a growing buffer per event.
    /// </summary>
    [ThreadStatic]
    private static AuditJsonBuffer? t_record;

    public static byte[] Format(
        EventResult result,
        PracticeContext practice,
        CompiledPolicy policy,
        string outcome,
        string? reason,
        IReadOnlyList<DestinationDecision> destinations,
        long? quarantineId = null)
    {
        var record = t_record ??= new AuditJsonBuffer(2048);
        var writer = record.Begin();
        var buffer = record.Buffer;
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

        writer.WriteViolations(result.Violations);

        writer.Flush();
        if (!result.FieldsAudit.IsEmpty)
        {
            buffer.Write(","u8);
            buffer.Write(result.FieldsAudit.Span);
        }

        buffer.Write("}"u8);

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The members describing what was done to an event's fields: <c>classes</c>, <c>fields</c>,
    /// <c>derived</c>, <c>detected</c>, <c>refusedBy</c>, <c>unmapped</c> (comma-separated members, no braces).
    /// </summary>
    /// <returns>Where in <paramref name="output"/> they were appended.</returns>
    internal static ReadOnlyMemory<byte> FormatFields(FieldTrace trace, DataClasses classes, OutputBuffer output)
    {
        var members = FormatMembers(trace, classes);
        var start = output.WrittenCount;
        members.CopyTo(output.GetSpan(members.Length));
        output.Advance(members.Length);
        return output.WrittenMemory[start..];
    }

    /// <summary>The members, in the trace's scratch buffer (valid until the trace formats again).</summary>
    private static ReadOnlySpan<byte> FormatMembers(FieldTrace trace, DataClasses classes)
    {
        var scratch = trace.AuditScratch;
        var writer = scratch.Begin();
        writer.WriteStartObject();
        writer.WriteStartArray("classes");
        classes.WriteNames(writer);
        writer.WriteEndArray();
        WriteFields(writer, trace, scratch);
        writer.WriteEndObject();
        writer.Flush();
        return scratch.Json.Buffer.WrittenSpan[1..^1];
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

        if (decision.Mode is not null)
        {
            writer.WriteString("mode", decision.Mode);
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

    private static void WriteFields(Utf8JsonWriter writer, FieldTrace trace, EventAuditScratch scratch)
    {
        var groups = scratch.Fields;
        var derived = scratch.Derived;
        for (var i = 0; i < trace.TracedCount; i++)
        {
            var traced = trace.TracedAt(i);
            var path = traced.Rule.Path.Text;
            if (traced.Written)
            {
                groups.Add(traced.Rule.Operator.AuditName, path);
            }

            if (traced.Dropped)
            {
                groups.Add("drop", path);
            }

            if (traced.Invalid)
            {
                groups.Add("invalid", path);
            }

            if (traced.Withheld)
            {
                groups.Add("withheld", path);
            }

            if (traced.Refused)
            {
                groups.Add("refused", path);
            }

            if (traced.Derived)
            {
                foreach (var derivation in traced.Rule.Derivations)
                {
                    derived.Add(path, derivation.OutputName);
                }
            }
        }

        writer.WriteStartObject("fields");
        groups.Write(writer);
        writer.WriteEndObject();

        if (derived.Count > 0)
        {
            writer.WriteStartObject("derived");
            derived.Write(writer);
            writer.WriteEndObject();
        }

        var detections = scratch.Detected;
        for (var i = 0; i < trace.DetectionCount; i++)
        {
            var (rule, detector) = trace.DetectionAt(i);
            detections.Add(rule.Path.Text, detector);
        }

        if (detections.Count > 0)
        {
            writer.WriteStartObject("detected");
            detections.Write(writer, sortValues: true);
            writer.WriteEndObject();
        }

        var refusals = scratch.Refused;
        for (var i = 0; i < trace.RefusalCount; i++)
        {
            var (rule, reason) = trace.RefusalAt(i);
            refusals.Add(rule.Path.Text, reason);
        }

        if (refusals.Count > 0)
        {
            writer.WriteStartObject("refusedBy");
            refusals.Write(writer, sortValues: true);
            writer.WriteEndObject();
        }

        var unmapped = scratch.Unmapped;
        for (var i = 0; i < trace.UnmappedCount; i++)
        {
            unmapped.Add(trace.UnmappedAt(i));
        }

        if (unmapped.Count > 0)
        {
            unmapped.Sort(StringComparer.Ordinal);
            writer.WriteStartArray("unmapped");
            foreach (var path in unmapped)
            {
                writer.WriteStringValue(path);
            }

            writer.WriteEndArray();
        }
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
