using System.Text.Unicode;

namespace Gateway.Compliance.Events;

/// <summary>
/// Checks that the strings of a parsed JSON value are text. System.Text.Json validates a document's structure but
/// not the UTF-8 inside its strings, and JSON lets a string escape a lone UTF-16 surrogate (<c>"\ud800"</c>).
/// Either makes <c>GetString</c> and <c>Utf8JsonWriter</c> throw, while Newtonsoft.Json (the schema validator's
/// parser) substitutes or keeps them: two parsers reading different text is a smuggling vector, so such values
/// are refused, not repaired.
/// </summary>
public static class JsonText
{
    /// <summary>
    /// True when <paramref name="rawJson"/> (a complete, already parsed JSON value, property names included) is
    /// valid UTF-8 and every <c>\u</c> escape in it is outside the surrogate range or half of a high-low pair.
    /// </summary>
    public static bool IsValidUnicode(ReadOnlySpan<byte> rawJson) => Utf8.IsValid(rawJson) && HasOnlyValidEscapes(rawJson);

    /// <summary>True when every <c>\u</c> escape is outside the surrogate range or half of a high-low pair (UTF-8 not checked).</summary>
    internal static bool HasOnlyValidEscapes(ReadOnlySpan<byte> rawJson)
    {
        // The common case: no \u escape at all.
        if (rawJson.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        var expectLow = false;
        var i = 0;
        while (i < rawJson.Length)
        {
            if (rawJson[i] != (byte)'\\')
            {
                if (expectLow)
                {
                    return false;
                }

                i++;
                continue;
            }

            // Inside a valid JSON document a backslash only ever starts an escape of two or six bytes.
            if (i + 1 >= rawJson.Length || rawJson[i + 1] != (byte)'u')
            {
                if (expectLow)
                {
                    return false;
                }

                i += 2;
                continue;
            }

            if (i + 5 >= rawJson.Length || !TryHex(rawJson.Slice(i + 2, 4), out var unit))
            {
                return false;
            }

            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (expectLow != isLow)
            {
                return false;
            }

            expectLow = isHigh;
            i += 6;
        }

        return !expectLow;
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
