using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Policies;

/// <summary>Where a compiled rule came from: the event type's own fields, the policy's common fields, or the engine.</summary>
public enum RuleScope
{
    /// <summary>Written under the event type.</summary>
    EventType,

    /// <summary>Written under the policy's top-level <c>fields</c> (applies to every event type whose schema has the path).</summary>
    Common,

    /// <summary>Added by the engine: <c>userId</c> and <c>anonymousId</c> are always pseudonymized.</summary>
    Engine,
}

/// <summary>Maps compiled rules back to the rule definitions they were built from, for explanations and diffs.</summary>
public static class RuleSources
{
    /// <summary>The definition a compiled rule of <paramref name="type"/> was built from (null for an engine rule).</summary>
    public static (FieldRuleDefinition? Definition, RuleScope Scope) Find(CompiledPolicy policy, CompiledEventType type, CompiledFieldRule rule)
    {
        if (rule.IsForced)
        {
            return (null, RuleScope.Engine);
        }

        var path = rule.Path.Text;
        var own = type.Definition.Fields.FirstOrDefault(f => Normalize(f.PathText) == path);
        if (own is not null)
        {
            return (own, RuleScope.EventType);
        }

        var common = policy.Definition.CommonFields.FirstOrDefault(f => Normalize(f.PathText) == path);
        return (common, common is null ? RuleScope.Engine : RuleScope.Common);
    }

    /// <summary>Every effective rule of an event type by normalized path, with its definition and scope.</summary>
    public static IReadOnlyDictionary<string, (CompiledFieldRule Rule, FieldRuleDefinition? Definition, RuleScope Scope)> Effective(CompiledPolicy policy, CompiledEventType type) =>
        type.Rules.ToDictionary(r => r.Path.Text, r =>
        {
            var (definition, scope) = Find(policy, type, r);
            return (r, definition, scope);
        }, StringComparer.Ordinal);

    /// <summary>A rule as one line: action, options, derived features and class (e.g. <c>generalize {method: zip3} derive [in_service_area]</c>).</summary>
    public static string Describe(FieldRuleDefinition? definition, CompiledFieldRule rule)
    {
        if (definition is null)
        {
            return rule.Operator.Method is null ? rule.Operator.Action : $"{rule.Operator.Action} {{method: {rule.Operator.Method}}}";
        }

        var text = definition.Action;
        var options = definition.Options.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (options.Count > 0)
        {
            text += " {" + string.Join(", ", options.Select(p => $"{p.Name}: {p.Value.ToString(Newtonsoft.Json.Formatting.None)}")) + "}";
        }

        if (definition.Derive.Count > 0)
        {
            text += " derive [" + string.Join(", ", definition.Derive.Select(d => d.Feature == d.OutputName ? d.Feature : $"{d.Feature} as {d.OutputName}")) + "]";
        }

        if (definition.Class is not null)
        {
            text += " class " + definition.Class;
        }

        return text;
    }

    private static string Normalize(string pathText) => pathText.Replace("[*]", ".*", StringComparison.Ordinal);
}
