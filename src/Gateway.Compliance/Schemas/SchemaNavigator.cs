using NJsonSchema;

namespace Gateway.Compliance.Schemas;

/// <summary>
/// Walks a loaded schema by property names: used to check that policy paths resolve, and to make
/// violation paths safe (segments the schema does not declare become <c>*</c>).
/// </summary>
internal static class SchemaNavigator
{
    /// <summary>The schemas reachable at <paramref name="segments"/> (several through anyOf/allOf/oneOf); empty when the path is unknown.</summary>
    public static IReadOnlyList<JsonSchema> Resolve(JsonSchema root, IReadOnlyList<string> segments)
    {
        IReadOnlyList<JsonSchema> current = [root.ActualSchema];
        foreach (var segment in segments)
        {
            var next = new List<JsonSchema>();
            foreach (var schema in current)
            {
                foreach (var candidate in Expand(schema))
                {
                    next.AddRange(Step(candidate, segment));
                }
            }

            if (next.Count == 0)
            {
                return [];
            }

            current = [.. next.Distinct()];
        }

        return current;
    }

    /// <summary>True when every schema reached may be an object or array (so only <c>drop</c> applies whole).</summary>
    public static bool IsContainer(IReadOnlyList<JsonSchema> schemas) =>
        schemas.Count > 0 && schemas.SelectMany(Expand).All(s =>
            s.Type != JsonObjectType.None
            && (s.Type & ~(JsonObjectType.Object | JsonObjectType.Array | JsonObjectType.Null)) == JsonObjectType.None);

    /// <summary>True when a property of this name is declared at the given schema level.</summary>
    public static bool Declares(IReadOnlyList<JsonSchema> schemas, string name) =>
        schemas.SelectMany(Expand).Any(s => s.ActualProperties.ContainsKey(name));

    /// <summary>The schema and the subschemas it combines (allOf, anyOf, oneOf), each resolved through $ref.</summary>
    public static IEnumerable<JsonSchema> Expand(JsonSchema schema)
    {
        var seen = new HashSet<JsonSchema>();
        var stack = new Stack<JsonSchema>();
        stack.Push(schema.ActualSchema);
        while (stack.Count > 0)
        {
            var s = stack.Pop().ActualSchema;
            if (!seen.Add(s))
            {
                continue;
            }

            yield return s;
            foreach (var sub in s.AllOf.Concat(s.AnyOf).Concat(s.OneOf))
            {
                stack.Push(sub.ActualSchema);
            }
        }
    }

    private static IEnumerable<JsonSchema> Step(JsonSchema schema, string segment)
    {
        if (segment == Paths.FieldPath.Wildcard)
        {
            foreach (var property in schema.ActualProperties.Values)
            {
                yield return property.ActualSchema;
            }

            if (schema.AdditionalPropertiesSchema is { } additional)
            {
                yield return additional.ActualSchema;
            }

            if (schema.Item is { } item)
            {
                yield return item.ActualSchema;
            }

            foreach (var tupleItem in schema.Items)
            {
                yield return tupleItem.ActualSchema;
            }

            yield break;
        }

        if (schema.ActualProperties.TryGetValue(segment, out var declared))
        {
            yield return declared.ActualSchema;
        }
        else if (schema.AdditionalPropertiesSchema is { } additional)
        {
            yield return additional.ActualSchema;
        }
    }
}
