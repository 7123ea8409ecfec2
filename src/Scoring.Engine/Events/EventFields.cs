using System.Globalization;
using System.Text.Json;

namespace Scoring.Engine.Events;

/// <summary>
/// Flattens a forwarded event into the scalar fields scoring can use: everything under <c>properties</c>,
/// <c>traits</c> and <c>derived</c>, and the UTM fields <c>context.campaign.{name,source,medium}</c>.
/// Arrays, long strings (free text) and deep nesting are left out: they are never scored, so never stored.
/// </summary>
public static class EventFields
{
    /// <summary>Longer strings are free text, not attributes.</summary>
    public const int MaxValueLength = 100;

    /// <summary>At most this many fields are kept per event.</summary>
    public const int MaxFields = 200;

    private const int MaxDepth = 4;

    private static readonly string[] s_roots = ["properties", "traits", "derived"];
    private static readonly string[] s_campaignFields = ["name", "source", "medium"];

    public static IReadOnlyDictionary<string, string> Flatten(JsonElement @event)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (@event.ValueKind != JsonValueKind.Object)
        {
            return fields;
        }

        foreach (var root in s_roots)
        {
            if (@event.TryGetProperty(root, out var value))
            {
                Add(fields, root, value, 1);
            }
        }

        if (@event.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("campaign", out var campaign) && campaign.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in s_campaignFields)
            {
                if (campaign.TryGetProperty(name, out var value) && Scalar(value) is { } text)
                {
                    fields["context.campaign." + name] = text;
                }
            }
        }

        return fields;
    }

    private static void Add(Dictionary<string, string> fields, string path, JsonElement value, int depth)
    {
        if (fields.Count >= MaxFields)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (depth > MaxDepth)
            {
                return;
            }

            foreach (var property in value.EnumerateObject())
            {
                if (property.Name.Length is > 0 and <= 64 && !property.Name.Contains('.', StringComparison.Ordinal))
                {
                    Add(fields, path + "." + property.Name, property.Value, depth + 1);
                }
            }
        }
        else if (depth > 1 && Scalar(value) is { } text)
        {
            fields[path] = text;
        }
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { Length: > 0 and <= MaxValueLength } s => s,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.TryGetDouble(out var d) ? d.ToString("R", CultureInfo.InvariantCulture) : null,
        _ => null,
    };
}
