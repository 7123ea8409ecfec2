using Gateway.Compliance.Schemas;
using NJsonSchema;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// Every <c>pattern</c> in an event type's schema can be matched in time linear in the input (see <see cref="SchemaPatterns"/>):
/// a pattern an event could make backtrack for minutes would turn one crafted value into a stalled request.
/// </summary>
internal sealed class SchemaPatternsAreLinear : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        var reported = new HashSet<(string, string)>();
        foreach (var eventType in context.Definition.EventTypes)
        {
            if (context.SchemaOf(eventType) is not { } schema)
            {
                continue;
            }

            foreach (var (path, pattern) in Patterns(schema.Schema))
            {
                if (SchemaPatterns.Problem(pattern) is { } problem && reported.Add((schema.File, path)))
                {
                    context.AddError(new SourceLocation(schema.File, 0, 0), path, problem);
                }
            }
        }
    }

    /// <summary>Each pattern of the schema with the path of the (sub)schema that holds it.</summary>
    private static IEnumerable<(string Path, string Pattern)> Patterns(JsonSchema root)
    {
        var seen = new HashSet<JsonSchema>();
        var stack = new Stack<(JsonSchema Schema, string Path)>();
        stack.Push((root, "$"));
        while (stack.Count > 0)
        {
            var (schema, path) = stack.Pop();
            schema = schema.ActualSchema;
            if (!seen.Add(schema))
            {
                continue;
            }

            if (!string.IsNullOrEmpty(schema.Pattern))
            {
                yield return (path, schema.Pattern);
            }

            foreach (var (name, property) in schema.ActualProperties)
            {
                stack.Push((property, path + "." + name));
            }

            foreach (var (name, property) in schema.PatternProperties)
            {
                stack.Push((property, path + "[pattern:" + name + "]"));
            }

            if (schema.Item is { } item)
            {
                stack.Push((item, path + "[*]"));
            }

            foreach (var tupleItem in schema.Items)
            {
                stack.Push((tupleItem, path + "[*]"));
            }

            if (schema.AdditionalPropertiesSchema is { } additional)
            {
                stack.Push((additional, path + ".*"));
            }

            foreach (var combined in schema.AllOf.Concat(schema.AnyOf).Concat(schema.OneOf))
            {
                stack.Push((combined, path));
            }

            foreach (var (name, definition) in schema.Definitions)
            {
                stack.Push((definition, "#/definitions/" + name));
            }
        }
    }
}
