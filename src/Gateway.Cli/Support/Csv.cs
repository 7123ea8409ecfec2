namespace Gateway.Cli.Support;

/// <summary>RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled.</summary>
internal static class Csv
{
    public static void WriteRow(TextWriter writer, IEnumerable<string?> fields)
    {
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

    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
