using System.Text.Json;

namespace Gateway.Compliance.Schemas;

/// <summary>Validates one event against its event type's schema, reporting every violation (paths and rules, no values).</summary>
public interface IEventSchemaValidator
{
    /// <summary>True when <paramref name="element"/> is valid; otherwise adds each violation to <paramref name="violations"/>.</summary>
    bool Validate(JsonElement element, ICollection<SchemaViolation> violations);
}
