using System.Collections.Concurrent;
using System.Text.Json;

namespace Scoring.Engine.Configuration.Yaml;

/// <summary>
/// The keys each object of a scoring file may and must have, read from <c>policies/scoring.schema.json</c> (embedded:
/// the file editors validate against is the one the service enforces), so the format is written down once.
/// A path names properties by name, <c>*</c> for any key of a map (<c>additionalProperties</c>) and <c>[]</c> for
/// the items of a list: <c>intent.events.*.variants[]</c>.
/// </summary>
internal static class ScoringFormat
{
    private static readonly JsonElement s_schema = LoadSchema();
    private static readonly ConcurrentDictionary<string, (IReadOnlyCollection<string> Allowed, IReadOnlyCollection<string> Required)> s_objects = new(StringComparer.Ordinal);

    /// <summary>The keys the object at <paramref name="schemaPath"/> may have, and those it must have.</summary>
    public static (IReadOnlyCollection<string> Allowed, IReadOnlyCollection<string> Required) Object(string schemaPath) =>
        s_objects.GetOrAdd(schemaPath, path =>
        {
            var node = Navigate(path);
            var allowed = node.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToArray() : [];
            var required = node.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToArray() : [];
            return (allowed, required);
        });

    private static JsonElement Navigate(string path)
    {
        var node = s_schema;
        foreach (var segment in path.Length == 0 ? [] : path.Split('.'))
        {
            var name = segment.EndsWith("[]", StringComparison.Ordinal) ? segment[..^2] : segment;
            node = name == "*" ? node.GetProperty("additionalProperties") : node.GetProperty("properties").GetProperty(name);
            if (segment.EndsWith("[]", StringComparison.Ordinal))
            {
                node = node.GetProperty("items");
            }
        }

        return node;
    }

    private static JsonElement LoadSchema()
    {
        using var stream = typeof(ScoringFormat).Assembly.GetManifestResourceStream("scoring.schema.json")
            ?? throw new InvalidOperationException("scoring.schema.json is not embedded.");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }
}
