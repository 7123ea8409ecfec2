using System.Text.Json;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Schemas;

namespace Gateway.Compliance.Policies;

/// <summary>One event type, compiled: its validator, its rules as a trie, where it goes and what consent it needs.</summary>
public sealed class CompiledEventType
{
    internal CompiledEventType(
        EventTypeDefinition definition,
        EventSchema schema,
        IEventSchemaValidator validator,
        IReadOnlyList<CompiledFieldRule> rules,
        RuleNode root,
        int nodeCount,
        IReadOnlyList<DestinationDefinition> destinations)
    {
        Definition = definition;
        Schema = schema;
        Validator = validator;
        Rules = rules;
        Root = root;
        NodeCount = nodeCount;
        Destinations = destinations;
        EncodedType = JsonEncodedText.Encode(definition.Type);
        EncodedEventName = definition.EventName is null ? null : JsonEncodedText.Encode(definition.EventName);
    }

    public EventTypeDefinition Definition { get; }

    /// <summary>The key used in audit records: the type, or <c>track:Name</c>.</summary>
    public string Key => Definition.Key;

    public string Type => Definition.Type;

    public string? EventName => Definition.EventName;

    public EventSchema Schema { get; }

    /// <summary>The validator events of this type are checked with (NJsonSchema, or a faster one proven equivalent).</summary>
    public IEventSchemaValidator Validator { get; internal set; }

    public IReadOnlyList<CompiledFieldRule> Rules { get; }

    public IReadOnlyList<DestinationDefinition> Destinations { get; }

    internal RuleNode Root { get; }

    internal int NodeCount { get; }

    internal JsonEncodedText EncodedType { get; }

    internal JsonEncodedText? EncodedEventName { get; }

    /// <summary>Consent purposes needed to send this event type to <paramref name="destination"/>.</summary>
    public IReadOnlyList<string> PurposesFor(DestinationDefinition destination) =>
        Definition.Purposes is { } overrides && overrides.TryGetValue(destination.Name, out var purposes) ? purposes : destination.Purposes;
}
