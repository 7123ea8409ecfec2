using Gateway.Compliance.Classification;
using Gateway.Compliance.Paths;
using Gateway.Compliance.Schemas;
using NJsonSchema;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// A <c>keep</c> rule that calls its output de-identified (<c>non-phi</c>, <c>derived</c>, <c>generalized</c>) must say
/// which values it lets through: option <c>values</c> (a value set), option <c>guard</c>, or a schema that allows only
/// listed values (<c>enum</c>), booleans or bounded numbers at that path in every event type the rule applies to.
/// A schema pattern constrains shape, not meaning: <c>^[a-z-]+$</c> admits <c>eleanor-vasquez</c>. Keeping a PHI class
/// (<c>phi</c>, <c>date</c>, ...) is a deliberate choice the BAA check governs, so it is not refused here.
/// </summary>
internal sealed class KeptValuesAreConstrained : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        var failures = new Dictionary<Definitions.FieldRuleDefinition, List<string>>();
        foreach (var eventType in context.Definition.EventTypes)
        {
            var schema = context.SchemaOf(eventType);
            if (schema is null)
            {
                continue;
            }

            foreach (var rule in context.EffectiveRules(eventType))
            {
                if (rule.Action != "keep" || rule.Options.ContainsKey("values") || rule.Options.ContainsKey("guard")
                    || rule.Class is null || !DataClassNames.TryParse(rule.Class, out var cls) || cls.ContainsPhi()
                    || !FieldPath.TryParse(rule.PathText, out var path, out _))
                {
                    continue;
                }

                var resolved = SchemaNavigator.Resolve(schema.Schema, path!.Segments);
                if (resolved.Count > 0 && !resolved.All(IsConstrained))
                {
                    if (!failures.TryGetValue(rule, out var types))
                    {
                        types = [];
                        failures[rule] = types;
                    }

                    types.Add(eventType.Key);
                }
            }
        }

        foreach (var (rule, types) in failures)
        {
            context.AddError(rule.Location, rule.PolicyPath,
                $"keeps a string or number its schema does not constrain (in {string.Join(", ", types)}): name a value set with 'values', add a 'guard', " +
                "or give the schema an 'enum' (a pattern constrains shape, not meaning)");
        }
    }

    /// <summary>Only listed values, booleans or numbers with both bounds: the schema itself, one of its <c>allOf</c>, or every branch of its <c>anyOf</c>/<c>oneOf</c>.</summary>
    internal static bool IsConstrained(JsonSchema schema)
    {
        var s = schema.ActualSchema;
        return IsConstrainedAlone(s)
            || s.AllOf.Any(IsConstrained)
            || (s.AnyOf.Count > 0 && s.AnyOf.All(IsConstrained))
            || (s.OneOf.Count > 0 && s.OneOf.All(IsConstrained));
    }

    private static bool IsConstrainedAlone(JsonSchema s)
    {
        if (s.IsEnumeration && s.Enumeration.Count > 0)
        {
            return true;
        }

        var type = s.Type & ~JsonObjectType.Null;
        if (type == JsonObjectType.None)
        {
            return false;
        }

        if (type == JsonObjectType.Boolean)
        {
            return true;
        }

        return (type & ~(JsonObjectType.Integer | JsonObjectType.Number)) == JsonObjectType.None && s.Minimum is not null && s.Maximum is not null;
    }
}
