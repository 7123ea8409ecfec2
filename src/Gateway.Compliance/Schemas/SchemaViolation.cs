namespace Gateway.Compliance.Schemas;

/// <summary>
/// One way an event failed its schema: the JSON path and the rule broken. Never the value: a path
/// segment that the schema does not declare (a name the client chose) is written as <c>*</c>.
/// </summary>
public readonly record struct SchemaViolation(string Path, string Rule)
{
    public override string ToString() => $"{Path}: {Rule}";
}
