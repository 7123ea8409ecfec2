using System.Text.Json;

namespace Gateway.Compliance.Schemas;

/// <summary>How violations appear in audit records and problem responses: path and rule, never the value.</summary>
public static class SchemaViolationJson
{
    /// <summary>Writes a <c>violations</c> array of <c>{path, rule}</c> objects, or nothing when there are none.</summary>
    public static void WriteViolations(this Utf8JsonWriter writer, IReadOnlyList<SchemaViolation> violations)
    {
        if (violations.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("violations");
        foreach (var violation in violations)
        {
            writer.WriteStartObject();
            writer.WriteString("path", violation.Path);
            writer.WriteString("rule", violation.Rule);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
