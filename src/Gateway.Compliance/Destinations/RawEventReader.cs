using System.Text.Json;

namespace Gateway.Compliance.Destinations;

/// <summary>Reads single values from an event by dotted path, and click ids from URL query strings, without throwing on hostile input.</summary>
internal static class RawEventReader
{
    /// <summary>The string at <paramref name="path"/> (<c>traits.email</c>), or null.</summary>
    public static string? String(JsonElement root, string path) =>
        Find(root, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>The number at <paramref name="path"/>, or null.</summary>
    public static decimal? Number(JsonElement root, string path) =>
        Find(root, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetDecimal(out var number) ? number : null;

    public static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>
    /// The value of query parameter <paramref name="name"/> in the first of <paramref name="paths"/> that holds a URL or a
    /// query string with it, if it is a plausible click id (letters, digits, <c>-</c> and <c>_</c>, at most 512 characters).
    /// </summary>
    public static string? ClickId(JsonElement root, string name, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (String(root, path) is not { } text)
            {
                continue;
            }

            var query = text.IndexOf('?') is var q and >= 0 ? text[(q + 1)..] : text;
            if (query.IndexOf('#') is var hash and >= 0)
            {
                query = query[..hash];
            }

            foreach (var pair in query.Split('&'))
            {
                var equals = pair.IndexOf('=');
                if (equals <= 0 || !pair.AsSpan(0, equals).Equals(name, StringComparison.Ordinal))
                {
                    continue;
                }

                var value = pair[(equals + 1)..];
                if (value.Length is > 0 and <= 512 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    return value;
                }
            }
        }

        return null;
    }
}
