using Gateway.Compliance.Schemas;
using NJsonSchema;

namespace Gateway.Compliance.Policies.Analysis;

/// <summary>What an event schema allows at a path: its <c>enum</c> when it has one, else its scalar types.</summary>
internal static class SchemaValueShape
{
    public static ForwardedValue Of(JsonSchema root, IReadOnlyList<string> segments)
    {
        var resolved = SchemaNavigator.Resolve(root, segments);
        return resolved.Count == 0
            ? ForwardedValue.Open(ValueKinds.Any, "not declared in the schema")
            : resolved.Select(Shape).Aggregate((a, b) => a.Union(b));
    }

    private static ForwardedValue Shape(JsonSchema schema)
    {
        var s = schema.ActualSchema;
        if (s.Enumeration.Count > 0)
        {
            var values = s.Enumeration.Select(ForwardedValue.TextOf).OfType<string>().ToList();
            var kinds = s.Enumeration.Aggregate(ValueKinds.None, (k, v) => k | v switch
            {
                null => ValueKinds.None,
                string => ValueKinds.String,
                bool => ValueKinds.Boolean,
                _ => ValueKinds.Number,
            });
            return ForwardedValue.OneOf(values, kinds, "schema enum");
        }

        if (s.AllOf.Select(a => a.ActualSchema).FirstOrDefault(a => a.Enumeration.Count > 0) is { } constrained)
        {
            return Shape(constrained);
        }

        var typed = Kinds(s.Type);
        if (typed == ValueKinds.Boolean)
        {
            return ForwardedValue.Flag("schema type boolean");
        }

        if (typed != ValueKinds.None)
        {
            return ForwardedValue.Open(typed, $"schema type {s.Type.ToString().ToLowerInvariant().Replace(", ", " or ", StringComparison.Ordinal)}");
        }

        var alternatives = s.AnyOf.Concat(s.OneOf).ToList();
        return alternatives.Count > 0
            ? alternatives.Select(Shape).Aggregate((a, b) => a.Union(b))
            : ForwardedValue.Open(ValueKinds.Any, "schema without a type");
    }

    private static ValueKinds Kinds(JsonObjectType type)
    {
        var kinds = ValueKinds.None;
        if (type.HasFlag(JsonObjectType.String))
        {
            kinds |= ValueKinds.String;
        }

        if (type.HasFlag(JsonObjectType.Number) || type.HasFlag(JsonObjectType.Integer))
        {
            kinds |= ValueKinds.Number;
        }

        if (type.HasFlag(JsonObjectType.Boolean))
        {
            kinds |= ValueKinds.Boolean;
        }

        return kinds;
    }
}
