using System.Text.Json.Nodes;
using Gateway.Compliance.Generalization;

namespace Gateway.LeakBench;

/// <summary>One place of one event type where an identifier can be planted: a field path and what kind of field it is.</summary>
public sealed record PlantTarget(string EventTypeKey, JsonObject BaseEvent, FieldKind Kind, IReadOnlyList<string> Path, UrlPart? UrlPart = null)
{
    public string PathText => string.Join('.', Path);

    /// <summary>Writes <paramref name="value"/> at the target's path of <paramref name="evt"/>, creating objects on the way.</summary>
    public static void Set(JsonObject evt, IReadOnlyList<string> path, JsonNode? value)
    {
        var node = evt;
        for (var i = 0; i < path.Count - 1; i++)
        {
            var segment = Segment(path[i]);
            if (node[segment] is not JsonObject child)
            {
                child = [];
                node[segment] = child;
            }

            node = child;
        }

        node[Segment(path[^1])] = value;
    }

    /// <summary>The value at <paramref name="path"/>, or null.</summary>
    public static JsonNode? Get(JsonNode? node, IReadOnlyList<string> path)
    {
        foreach (var segment in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(Segment(segment), out node))
            {
                return null;
            }
        }

        return node;
    }

    private static string Segment(string segment) => segment == "*" ? "x" : segment;
}
