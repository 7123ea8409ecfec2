using System.Text;
using System.Text.Json;
using Gateway.Compliance.Text;

namespace Gateway.LeakBench;

/// <summary>
/// Every string a forwarded body holds, property names included, decoded from JSON (the writer escapes non-ASCII as
/// <c>\uXXXX</c>, so a raw byte search misses accented names) and NFKC-folded, with the groups of digits in each.
/// </summary>
public sealed class ForwardedText
{
    private readonly List<(string Folded, string[] DigitGroups)> _strings = [];

    private readonly IReadOnlySet<string> _policyNames;

    /// <param name="policyNames">Property names the policy itself writes (its rules' literal path segments, derived
    /// feature names): a key with one of these names was not copied from the event, so it is not scanned.</param>
    public ForwardedText(ReadOnlySpan<byte> json, IReadOnlySet<string> policyNames)
    {
        _policyNames = policyNames;
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        Walk(document.RootElement, 0);
    }

    public IReadOnlyList<(string Folded, string[] DigitGroups)> Strings => _strings;

    private void Walk(JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!_policyNames.Contains(property.Name))
                    {
                        Add(property.Name);
                    }

                    // The event type and name are written by the gateway from the policy, never copied from the event.
                    if (depth > 0 || property.Name is not ("type" or "event"))
                    {
                        Walk(property.Value, depth + 1);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, depth + 1);
                }

                break;
            case JsonValueKind.String:
                Add(element.GetString()!);
                break;
            case JsonValueKind.Number:
                Add(element.GetRawText());
                break;
        }
    }

    private void Add(string text)
    {
        // The event's own timestamp (kept as a date on purpose; nothing is planted there): its digits would match by chance.
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out _))
        {
            return;
        }

        var folded = TextNormalization.Fold(text);

        // A SHA-256 in hex (what Meta takes in place of an identifier, and the first 32 characters of one as a
        // conversion's event_id) is hash output: its runs of digits are chance, not a number a person wrote ("70974"
        // turned up inside "...0444970974..." once in 1,100 conversions; "3328" in an event_id once in 4,951).
        _strings.Add((folded, IsHexDigest(folded) ? [] : DigitGroups(folded)));
    }

    private static bool IsHexDigest(string text) => text.Length is 32 or 64 && text.All(char.IsAsciiHexDigitLower);

    /// <summary>Runs of digits joined by separators a person writes inside numbers (space, dot, dash, brackets, slash, plus), digits only.</summary>
    public static string[] DigitGroups(string text)
    {
        var groups = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                current.Append(c);
            }
            else if (c is ' ' or '.' or '-' or '(' or ')' or '/' or '+')
            {
                continue;
            }
            else if (current.Length > 0)
            {
                groups.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            groups.Add(current.ToString());
        }

        return [.. groups];
    }

    /// <summary>The first needle of <paramref name="identifier"/> found anywhere in the body, and the string it was found in; or null.</summary>
    public (Needle Needle, string In)? Find(PlantedIdentifier identifier)
    {
        foreach (var (folded, groups) in _strings)
        {
            if (identifier.FindIn(folded, groups) is { } needle)
            {
                return (needle, folded);
            }
        }

        return null;
    }
}
