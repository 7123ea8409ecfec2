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

    public ForwardedText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        Walk(document.RootElement);
    }

    public IReadOnlyList<(string Folded, string[] DigitGroups)> Strings => _strings;

    private void Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Add(property.Name);
                    Walk(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
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
        var folded = TextNormalization.Fold(text);
        _strings.Add((folded, DigitGroups(folded)));
    }

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

    /// <summary>The first needle of <paramref name="identifier"/> found anywhere in the body, or null.</summary>
    public Needle? Find(PlantedIdentifier identifier)
    {
        foreach (var (folded, groups) in _strings)
        {
            if (identifier.FindIn(folded, groups) is { } needle)
            {
                return needle;
            }
        }

        return null;
    }
}
