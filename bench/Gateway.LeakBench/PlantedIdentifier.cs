namespace Gateway.LeakBench;

/// <summary>
/// A synthetic identifier as planted: its kind, the rule that rendered it (for the report), the text as written into
/// the event, a slug form for fields whose schema only takes codes, and the needles that count as a leak when found
/// in a forwarded body. All values come from Bogus: nothing here is real data.
/// </summary>
public sealed record PlantedIdentifier(IdentifierKind Kind, string Rendering, string Text, string Slug, IReadOnlyList<Needle> Needles)
{
    /// <summary>The first needle found in <paramref name="folded"/>, or null.</summary>
    public Needle? FindIn(string folded, IReadOnlyList<string> digitGroups)
    {
        foreach (var needle in Needles)
        {
            if (needle.IsIn(folded, digitGroups))
            {
                return needle;
            }
        }

        return null;
    }

    /// <summary>Lower case, every run of other characters a single dash: what a code-shaped field accepts.</summary>
    public static string Slugify(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var dash = false;
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
                dash = false;
            }
            else if (!dash && builder.Length > 0)
            {
                builder.Append('-');
                dash = true;
            }
        }

        var slug = builder.ToString().TrimEnd('-');
        return slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }
}
