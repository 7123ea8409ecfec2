using Gateway.Compliance.Paths;
using Gateway.Compliance.Schemas;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// Every rule's path resolves against the schema(s) it applies to (an event type's own rules against
/// its schema; a common rule against at least one), and only <c>drop</c> targets whole objects or arrays.
/// Typos therefore fail at load instead of silently dropping (or keeping) the wrong field.
/// </summary>
internal sealed class FieldPathsResolve : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        foreach (var eventType in context.Definition.EventTypes)
        {
            var schema = context.SchemaOf(eventType);
            if (schema is null)
            {
                continue;
            }

            foreach (var rule in eventType.Fields)
            {
                if (!FieldPath.TryParse(rule.PathText, out var path, out _))
                {
                    continue;
                }

                var resolved = SchemaNavigator.Resolve(schema.Schema, path!.Segments);
                if (resolved.Count == 0)
                {
                    context.AddError(rule.Location, rule.PolicyPath, $"path '{path.Text}' is not declared in schema '{schema.File}'");
                }
                else
                {
                    CheckShape(context, rule, resolved);
                }
            }
        }

        var schemas = context.Definition.EventTypes.Select(context.SchemaOf).OfType<EventSchema>().ToList();
        if (schemas.Count == 0)
        {
            return;
        }

        foreach (var rule in context.Definition.CommonFields)
        {
            if (!FieldPath.TryParse(rule.PathText, out var path, out _))
            {
                continue;
            }

            var resolved = schemas.SelectMany(s => SchemaNavigator.Resolve(s.Schema, path!.Segments)).ToList();
            if (resolved.Count == 0 && !FieldRulesAreWellFormed.IdentityFields.Contains(path!.Text))
            {
                context.AddError(rule.Location, rule.PolicyPath, $"path '{path.Text}' is not declared in any event type's schema");
            }
            else if (resolved.Count > 0)
            {
                CheckShape(context, rule, resolved);
            }
        }
    }

    private static void CheckShape(PolicyValidationContext context, Definitions.FieldRuleDefinition rule, IReadOnlyList<NJsonSchema.JsonSchema> resolved)
    {
        if (rule.Action != "drop" && SchemaNavigator.IsContainer(resolved))
        {
            context.AddError(rule.Location, rule.PolicyPath,
                $"'{rule.Action}' applies to single values, but '{rule.PathText}' is an object or array; name its fields (or use '.*'), or drop it");
        }
    }
}
