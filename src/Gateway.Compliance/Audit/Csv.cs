using System.Globalization;

namespace Gateway.Compliance.Audit;

/// <summary>RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. Shared by gatewayctl and the console.</summary>
public static class Csv
{
    public static void WriteRow(TextWriter writer, IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fields);
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }

            first = false;
            writer.Write(Escape(field ?? string.Empty));
        }

        writer.Write("\r\n");
    }

    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>A time as every audit export writes it: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
