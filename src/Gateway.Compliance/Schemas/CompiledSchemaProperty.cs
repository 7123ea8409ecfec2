namespace Gateway.Compliance.Schemas;

/// <summary>A declared property of a <see cref="CompiledSchemaNode"/>.</summary>
internal sealed record CompiledSchemaProperty(string Name, int Index, bool Nullable, CompiledSchemaNode Schema);
