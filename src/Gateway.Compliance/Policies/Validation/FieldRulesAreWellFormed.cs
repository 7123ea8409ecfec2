using Gateway.Compliance.Classification;
using Gateway.Compliance.Operators;
using Gateway.Compliance.Paths;
using Gateway.Compliance.Policies.Definitions;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// Each rule's path parses, names no system field, treats identity fields as the engine requires,
/// uses a known action with valid options and a known class, and derives known features.
/// </summary>
internal sealed class FieldRulesAreWellFormed : IPolicyRule
{
    /// <summary>Written by the gateway itself from the validated envelope; rules on them are refused.</summary>
    internal static readonly string[] SystemFields = ["type", "event", "messageId"];

    /// <summary>Always pseudonymized: a rule may only say <c>hmac</c> (or <c>drop</c> for <c>previousId</c>).</summary>
    internal static readonly string[] IdentityFields = ["userId", "anonymousId", "previousId"];

    public void Validate(PolicyValidationContext context)
    {
        foreach (var rule in AllRules(context.Definition))
        {
            Check(context, rule);
        }

        foreach (var eventType in context.Definition.EventTypes)
        {
            var names = new Dictionary<string, FieldRuleDefinition>(StringComparer.Ordinal);
            foreach (var rule in context.EffectiveRules(eventType))
            {
                foreach (var derive in rule.Derive)
                {
                    if (!names.TryAdd(derive.OutputName, rule) && !ReferenceEquals(names[derive.OutputName], rule))
                    {
                        context.AddError(derive.Location, rule.PolicyPath + ".derive",
                            $"event type '{eventType.Key}' derives '{derive.OutputName}' from two fields; give one of them another name with 'as'");
                    }
                }
            }
        }
    }

    internal static IEnumerable<FieldRuleDefinition> AllRules(PolicyDefinition definition) =>
        definition.CommonFields.Concat(definition.EventTypes.SelectMany(e => e.Fields));

    private static void Check(PolicyValidationContext context, FieldRuleDefinition rule)
    {
        if (!FieldPath.TryParse(rule.PathText, out var path, out var pathError))
        {
            context.AddError(rule.Location, rule.PolicyPath, $"invalid path: {pathError}");
            return;
        }

        if (path!.Segments.Count == 1 && SystemFields.Contains(path.Text))
        {
            context.AddError(rule.Location, rule.PolicyPath, $"'{path.Text}' is a system field the gateway always writes from the validated envelope; remove the rule");
        }

        if (path.Segments.Count == 1 && IdentityFields.Contains(path.Text)
            && rule.Action != "hmac" && !(rule.Action == "drop" && path.Text == "previousId"))
        {
            context.AddError(rule.Location, rule.PolicyPath, $"'{path.Text}' is always pseudonymized; its action must be 'hmac'");
        }

        DataClasses? declared = null;
        if (rule.Class is not null)
        {
            if (DataClassNames.TryParse(rule.Class, out var cls))
            {
                declared = cls;
            }
            else
            {
                context.AddError(rule.Location, rule.PolicyPath + ".class", $"unknown class '{rule.Class}'");
            }
        }

        var components = context.Components;
        if (!components.Operators.TryGet(rule.Action, out var factory))
        {
            context.AddError(rule.Location, rule.PolicyPath + ".action",
                $"unknown action '{rule.Action}' (known: {string.Join(", ", components.Operators.Actions)})");
        }
        else
        {
            var options = new RuleOptions(rule.Options);
            var problems = new List<string>();
            factory.Validate(options, BuildContext(context, path, declared), problems);
            problems.AddRange(options.UnreadKeys.Select(k => $"option '{k}' is not used by action '{rule.Action}'"));
            foreach (var problem in problems)
            {
                context.AddError(rule.Location, rule.PolicyPath, problem);
            }

            if (declared is not null && rule.Action != "keep")
            {
                context.AddError(rule.Location, rule.PolicyPath + ".class", $"only 'keep' rules declare a class; '{rule.Action}' has its own");
            }
        }

        foreach (var derive in rule.Derive)
        {
            if (!components.Derivers.TryGet(derive.Feature, out _))
            {
                context.AddError(derive.Location, rule.PolicyPath + ".derive",
                    $"unknown feature '{derive.Feature}' (known: {string.Join(", ", components.Derivers.Names)})");
                continue;
            }

            var problems = new List<string>();
            Configure(components, derive, problems);
            foreach (var problem in problems)
            {
                context.AddError(derive.Location, rule.PolicyPath + ".derive", problem);
            }
        }
    }

    /// <summary>The deriver for one derive entry: configured with the entry's options, or the registered one (which takes none).</summary>
    internal static Derivation.IFeatureDeriver Configure(PolicyEngineComponents components, DeriveDefinition derive, ICollection<string> errors)
    {
        components.Derivers.TryGet(derive.Feature, out var deriver);
        if (deriver is Derivation.IConfigurableFeatureDeriver configurable)
        {
            return configurable.Configure(derive.Options, errors);
        }

        foreach (var option in derive.Options.Properties())
        {
            errors.Add($"feature '{derive.Feature}' takes no option '{option.Name}'");
        }

        return deriver;
    }

    internal static OperatorBuildContext BuildContext(PolicyValidationContext context, FieldPath path, DataClasses? declared) => new()
    {
        Path = path,
        DeclaredClass = declared,
        Detectors = context.Components.Detectors,
        Tokens = context.Components.Tokens,
        AllowLists = context.AllowLists,
    };
}
