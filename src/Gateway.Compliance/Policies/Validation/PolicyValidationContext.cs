using Gateway.Compliance.Derivation;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Operators;
using Gateway.Compliance.Paths;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Schemas;
using Gateway.Compliance.Tokens;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// What the validation rules share: the definition, the folder, the registries, the schemas (each
/// loaded once) and the error list every rule appends to.
/// </summary>
public sealed class PolicyValidationContext
{
    private readonly Dictionary<EventTypeDefinition, EventSchema?> _schemas = [];
    private readonly List<PolicyError> _errors = [];
    private PolicyAllowLists? _allowLists;

    internal PolicyValidationContext(PolicyDefinition definition, string directory, PolicyEngineComponents components)
    {
        Definition = definition;
        Directory = directory;
        Components = components;
    }

    public PolicyDefinition Definition { get; }

    /// <summary>The policy folder (absolute).</summary>
    public string Directory { get; }

    public PolicyEngineComponents Components { get; }

    public IReadOnlyList<PolicyError> Errors => _errors;

    /// <summary>The policy's compiled allow-lists (vocabulary, value sets, URL templates, hosts), built on first use; their problems are reported once.</summary>
    public PolicyAllowLists AllowLists => _allowLists ??= PolicyAllowLists.Build(Definition, Components.Detectors, AddError);

    public void AddError(SourceLocation location, string path, string message) => _errors.Add(new PolicyError(location, path, message));

    /// <summary>The event type's schema, loaded on first use; null (with an error recorded) when missing or invalid.</summary>
    public EventSchema? SchemaOf(EventTypeDefinition eventType)
    {
        if (_schemas.TryGetValue(eventType, out var cached))
        {
            return cached;
        }

        EventSchema? schema = null;
        var full = Path.GetFullPath(Path.Combine(Directory, eventType.Schema));
        if (!full.StartsWith(Path.GetFullPath(Directory), StringComparison.Ordinal))
        {
            AddError(eventType.Location, eventType.PolicyPath + ".schema", "the schema file must be inside the policy folder");
        }
        else if (!File.Exists(full))
        {
            AddError(eventType.Location, eventType.PolicyPath + ".schema", $"schema file '{eventType.Schema}' does not exist");
        }
        else
        {
            try
            {
                schema = EventSchema.Load(Directory, eventType.Schema);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                AddError(new SourceLocation(eventType.Schema, 0, 0), eventType.PolicyPath + ".schema", "the schema could not be loaded: " + ex.Message);
            }
        }

        _schemas[eventType] = schema;
        return schema;
    }

    /// <summary>The rules that apply to an event type: common rules (that resolve in its schema), overridden path by path by its own.</summary>
    public IReadOnlyList<FieldRuleDefinition> EffectiveRules(EventTypeDefinition eventType)
    {
        var own = eventType.Fields.Select(f => Normalize(f.PathText)).ToHashSet(StringComparer.Ordinal);
        var schema = SchemaOf(eventType);
        var result = new List<FieldRuleDefinition>();
        foreach (var common in Definition.CommonFields)
        {
            if (own.Contains(Normalize(common.PathText)))
            {
                continue;
            }

            if (schema is not null && FieldPath.TryParse(common.PathText, out var path, out _)
                && SchemaNavigator.Resolve(schema.Schema, path!.Segments).Count == 0)
            {
                continue;
            }

            result.Add(common);
        }

        result.AddRange(eventType.Fields);
        return result;
    }

    internal static string Normalize(string pathText) => pathText.Replace("[*]", ".*", StringComparison.Ordinal);
}

/// <summary>The pluggable parts a policy is validated and compiled with.</summary>
public sealed record PolicyEngineComponents
{
    public FieldOperatorRegistry Operators { get; init; } = FieldOperatorRegistry.Default;

    public FeatureDeriverRegistry Derivers { get; init; } = FeatureDeriverRegistry.Default;

    public TextDetectorRegistry Detectors { get; init; } = TextDetectorRegistry.Default;

    /// <summary>The tokenizer for <c>tokenize</c> rules; null in hosts that offer none.</summary>
    public ITokenProtector? Tokens { get; init; }

    /// <summary>Extra validation rules a host adds to the built-in ones.</summary>
    public IReadOnlyList<IPolicyRule> ExtraRules { get; init; } = [];

    public static PolicyEngineComponents Default { get; } = new();
}
