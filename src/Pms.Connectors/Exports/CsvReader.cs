using System.Text;

namespace Pms.Connectors.Exports;

/// <summary>
/// Reads CSV as RFC 4180 writes it (comma-separated, double-quoted fields with doubled quotes, CRLF or LF, a UTF-8 BOM
/// ignored), record by record with the line each starts on. Errors name the line, never the text.
/// </summary>
internal sealed class CsvReader(TextReader reader)
{
    private int _line = 1;

    /// <summary>The next record and the line it starts on; null at the end.</summary>
    public (int Line, List<string> Fields)? Next()
    {
        var start = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        while (true)
        {
            var c = reader.Read();
            if (c == -1)
            {
                if (quoted)
                {
                    throw new FormatException($"line {start}: a quoted field is not closed");
                }

                if (!any)
                {
                    return null;
                }

                fields.Add(field.ToString());
                return (start, fields);
            }

            any = true;
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n' or '\r':
                    _line++;
                    fields.Add(field.ToString());
                    return (start, fields);
                case '\uFEFF' when start == 1 && fields.Count == 0 && field.Length == 0:
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
    }
}
