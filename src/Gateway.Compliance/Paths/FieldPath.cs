namespace Gateway.Compliance.Paths;

/// <summary>
/// A dotted path into a Segment event, as written in policies: <c>properties.notes</c>,
/// <c>traits.address.*</c>, <c>properties.items[*].sku</c>. <c>*</c> matches exactly one
/// property name or array index; <c>[*]</c> is the same as <c>.*</c>.
/// </summary>
public sealed record FieldPath
{
    /// <summary>The wildcard segment.</summary>
    public const string Wildcard = "*";

    private FieldPath(string text, IReadOnlyList<string> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The path as written in the policy (normalized: <c>[*]</c> becomes <c>.*</c>).</summary>
    public string Text { get; }

    public IReadOnlyList<string> Segments { get; }

    public bool HasWildcard => Segments.Contains(Wildcard);

    public override string ToString() => Text;

    /// <summary>Parses a policy path; returns false with a reason (never echoing event values).</summary>
    public static bool TryParse(string? text, out FieldPath? path, out string? error)
    {
        path = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "path is empty";
            return false;
        }

        var normalized = text.Replace("[*]", ".*", StringComparison.Ordinal);
        var segments = normalized.Split('.');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                error = "path has an empty segment";
                return false;
            }

            if (segment.Contains('*', StringComparison.Ordinal) && segment != Wildcard)
            {
                error = "'*' must be a whole segment";
                return false;
            }

            if (segment.IndexOfAny(['[', ']', ' ', '\t']) >= 0)
            {
                error = "path segments may not contain brackets or whitespace (use '*' or '[*]' for array items)";
                return false;
            }
        }

        path = new FieldPath(normalized, segments);
        return true;
    }

    public static FieldPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path! : throw new FormatException($"Invalid field path: {error}.");
}
