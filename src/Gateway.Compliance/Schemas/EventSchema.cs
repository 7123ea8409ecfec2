using NJsonSchema;

namespace Gateway.Compliance.Schemas;

/// <summary>An event type's JSON Schema, loaded once by NJsonSchema (the schema authority), with its file.</summary>
public sealed class EventSchema
{
    public EventSchema(string file, JsonSchema schema)
    {
        File = file;
        Schema = schema;
    }

    /// <summary>The schema file, relative to the policy folder.</summary>
    public string File { get; }

    public JsonSchema Schema { get; }

    /// <summary>Loads a schema file (resolving relative <c>$ref</c>s to sibling files). Throws on an unreadable or invalid schema.</summary>
    public static EventSchema Load(string policyDirectory, string relativeFile)
    {
        var full = Path.GetFullPath(Path.Combine(policyDirectory, relativeFile));
        var schema = JsonSchema.FromFileAsync(full).GetAwaiter().GetResult();
        return new EventSchema(relativeFile, schema);
    }
}
