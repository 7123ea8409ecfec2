using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace Gateway.Compliance.Schemas;

/// <summary>
/// One loaded NJsonSchema schema (after <c>$ref</c>) reduced to the keywords the compiled validator checks,
/// with NJsonSchema's own semantics (see <see cref="CompiledSchemaValidator"/>). <see cref="TryCompile"/>
/// refuses any schema using a keyword outside that set, so the caller keeps NJsonSchema for it.
/// </summary>
internal sealed class CompiledSchemaNode
{
    /// <summary>Keywords NJsonSchema keeps as extension data; a schema carrying any of them is not compiled.</summary>
    private static readonly FrozenSet<string> s_unmodelledKeywords = new[]
    {
        "const", "contains", "propertyNames", "dependencies", "dependentRequired", "dependentSchemas", "if", "then", "else",
        "unevaluatedProperties", "unevaluatedItems", "prefixItems", "minContains", "maxContains", "$defs",
    }.ToFrozenSet(StringComparer.Ordinal);

    private const JsonObjectType ModelledTypes = JsonObjectType.Array | JsonObjectType.Boolean | JsonObjectType.Integer
        | JsonObjectType.Null | JsonObjectType.Number | JsonObjectType.Object | JsonObjectType.String;

    private FrozenDictionary<string, CompiledSchemaProperty> _properties = FrozenDictionary<string, CompiledSchemaProperty>.Empty;

    private CompiledSchemaNode()
    {
    }

    /// <summary>The declared types (flags); <see cref="JsonObjectType.None"/> accepts any kind.</summary>
    public JsonObjectType Types { get; private set; }

    /// <summary>NJsonSchema's <c>IsNullable</c>: a null skips the type and enum checks.</summary>
    public bool Nullable { get; private set; }

    public int? MinLength { get; private set; }

    public int? MaxLength { get; private set; }

    public Regex? Pattern { get; private set; }

    /// <summary>True for <c>format: date-time</c> (the only format the shipped schemas use).</summary>
    public bool DateTimeFormat { get; private set; }

    /// <summary>True when any check depends on a string's exact text (so a string Newtonsoft reads as a date is unsure).</summary>
    public bool ChecksStringText => MinLength.HasValue || MaxLength.HasValue || Pattern is not null || Enum is not null;

    public decimal? Minimum { get; private set; }

    public decimal? Maximum { get; private set; }

    public bool IsExclusiveMinimum { get; private set; }

    public bool IsExclusiveMaximum { get; private set; }

    public decimal? ExclusiveMinimum { get; private set; }

    public decimal? ExclusiveMaximum { get; private set; }

    public bool HasNumberBounds => Minimum.HasValue || Maximum.HasValue || ExclusiveMinimum.HasValue || ExclusiveMaximum.HasValue;

    /// <summary>The allowed values, all strings that no other JSON value prints as; null when there is no enum.</summary>
    public string[]? Enum { get; private set; }

    /// <summary>Declared properties by name.</summary>
    public FrozenDictionary<string, CompiledSchemaProperty>.AlternateLookup<ReadOnlySpan<char>> Properties { get; private set; }

    public int PropertyCount => _properties.Count;

    /// <summary>Bit mask of the declared properties that are required (bit = <see cref="CompiledSchemaProperty.Index"/>).</summary>
    public ulong RequiredMask { get; private set; }

    /// <summary>Required names that are not declared properties.</summary>
    public string[] OtherRequired { get; private set; } = [];

    public bool HasRequired => RequiredMask != 0 || OtherRequired.Length > 0;

    /// <summary>The schema for undeclared properties; null when they are unchecked or refused.</summary>
    public CompiledSchemaNode? AdditionalProperties { get; private set; }

    public bool AllowAdditionalProperties { get; private set; }

    /// <summary>The schema every array item must match; null when items are unchecked.</summary>
    public CompiledSchemaNode? Items { get; private set; }

    public int MinItems { get; private set; }

    public int MaxItems { get; private set; }

    /// <summary>Compiles <paramref name="schema"/>; false (with the reason) when it uses anything not modelled here.</summary>
    public static bool TryCompile(JsonSchema schema, out CompiledSchemaNode? node, out string? unsupported)
    {
        var compiled = new Dictionary<JsonSchema, CompiledSchemaNode>();
        try
        {
            node = Compile(schema.ActualSchema, compiled);
            unsupported = null;
            return true;
        }
        catch (NotSupportedException ex)
        {
            node = null;
            unsupported = ex.Message;
            return false;
        }
    }

    private static CompiledSchemaNode Compile(JsonSchema schema, Dictionary<JsonSchema, CompiledSchemaNode> compiled)
    {
        schema = schema.ActualSchema;
        if (compiled.TryGetValue(schema, out var existing))
        {
            return existing;
        }

        var node = new CompiledSchemaNode();
        compiled[schema] = node;
        Refuse(schema.AllOf.Count > 0, "allOf");
        Refuse(schema.AnyOf.Count > 0, "anyOf");
        Refuse(schema.OneOf.Count > 0, "oneOf");
        Refuse(schema.Not is not null, "not");
        Refuse(schema.PatternProperties.Count > 0, "patternProperties");
        Refuse(schema.MinProperties > 0 || schema.MaxProperties > 0, "minProperties/maxProperties");
        Refuse(schema.Items.Count > 0, "tuple items");
        Refuse(schema.UniqueItems, "uniqueItems");
        Refuse(schema.MultipleOf.HasValue, "multipleOf");
        Refuse((schema.Type & ~ModelledTypes) != JsonObjectType.None, "type file");
        Refuse(schema.Format is { Length: > 0 } && schema.Format != JsonFormatStrings.DateTime, "format " + schema.Format);
        Refuse(schema.ExtensionData?.Keys.Any(s_unmodelledKeywords.Contains) == true, "an unmodelled keyword");

        node.Types = schema.Type;
        node.Nullable = schema.IsNullable(SchemaType.JsonSchema);
        node.MinLength = schema.MinLength;
        node.MaxLength = schema.MaxLength;
        node.Pattern = string.IsNullOrEmpty(schema.Pattern) ? null : SchemaPatterns.Compile(schema.Pattern);
        node.DateTimeFormat = schema.Format == JsonFormatStrings.DateTime;
        node.Minimum = schema.Minimum;
        node.Maximum = schema.Maximum;
        node.IsExclusiveMinimum = schema.IsExclusiveMinimum;
        node.IsExclusiveMaximum = schema.IsExclusiveMaximum;
        node.ExclusiveMinimum = schema.ExclusiveMinimum;
        node.ExclusiveMaximum = schema.ExclusiveMaximum;
        node.MinItems = schema.MinItems;
        node.MaxItems = schema.MaxItems;
        if (schema.Enumeration.Count > 0)
        {
            node.Enum = [.. schema.Enumeration.Select(EnumText)];
        }

        var properties = new Dictionary<string, CompiledSchemaProperty>(StringComparer.Ordinal);
        Refuse(schema.Properties.Count > 64, "more than 64 properties");
        var index = 0;
        foreach (var (name, property) in schema.Properties)
        {
            var entry = new CompiledSchemaProperty(name, index, property.IsNullable(SchemaType.JsonSchema), Compile(property, compiled));
            properties[name] = entry;
            if (property.IsRequired)
            {
                node.RequiredMask |= 1UL << index;
            }

            index++;
        }

        node._properties = properties.ToFrozenDictionary(StringComparer.Ordinal);
        node.Properties = node._properties.GetAlternateLookup<ReadOnlySpan<char>>();
        node.OtherRequired = [.. schema.RequiredProperties.Where(r => !properties.ContainsKey(r))];
        node.AllowAdditionalProperties = schema.AllowAdditionalProperties;
        node.AdditionalProperties = schema.AdditionalPropertiesSchema is { } additional ? Compile(additional, compiled) : null;
        node.Items = schema.Item is { } item ? Compile(item, compiled) : null;
        return node;
    }

    /// <summary>
    /// NJsonSchema compares enum values by <c>ToString()</c> of both sides; only strings that no number, boolean,
    /// null, object or array prints as are modelled, so a non-string value can never match.
    /// </summary>
    private static string EnumText(object? value)
    {
        if (value is not string text || text.Length == 0 || text[0] is '{' or '['
            || text is "True" or "False"
            || double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _)
            || double.TryParse(text, NumberStyles.Any, CultureInfo.CurrentCulture, out _))
        {
            throw new NotSupportedException("an enum value that is not a plain string");
        }

        return text;
    }

    private static void Refuse(bool condition, string keyword)
    {
        if (condition)
        {
            throw new NotSupportedException(keyword);
        }
    }
}
