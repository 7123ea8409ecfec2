using Gateway.Compliance.Classification;
using Gateway.Compliance.Operators;
using Gateway.Compliance.Paths;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Policies.Validation;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Schemas;

namespace Gateway.Compliance.Policies;

/// <summary>Builds a <see cref="CompiledPolicy"/> from a definition that passed every validation rule.</summary>
internal static class PolicyCompiler
{
    public static CompiledPolicy Compile(PolicyValidationContext context, string sha256)
    {
        var definition = context.Definition;
        var eventTypes = new List<CompiledEventType>();
        foreach (var eventType in definition.EventTypes)
        {
            var schema = context.SchemaOf(eventType) ?? throw new InvalidOperationException("Compile called on a policy that did not validate.");
            var rules = new List<CompiledFieldRule>();
            var nodeCount = 1;
            var root = new RuleNode(string.Empty, 0);
            RuleNode Create(string pathText) => new(pathText, nodeCount++);

            var effective = context.EffectiveRules(eventType);
            foreach (var rule in effective)
            {
                AddRule(root, rules, BuildRule(context, rule, rules.Count), Create);
            }

            foreach (var identity in FieldRulesAreWellFormed.IdentityFields)
            {
                if (!effective.Any(r => r.PathText == identity))
                {
                    var forced = new CompiledFieldRule(rules.Count, FieldPath.Parse(identity),
                        new HmacOperatorFactory.HmacOperator(Pseudonyms.IdentifierNormalization.Exact), [], isForced: true);
                    AddRule(root, rules, forced, Create);
                }
            }

            root.Freeze();
            // A disabled destination gets nothing; an ad platform gets only the track events its mapping names.
            var destinations = (eventType.Destinations is { } names
                ? definition.Destinations.Where(d => names.Contains(d.Name))
                : definition.Destinations)
                .Where(d => d.Enabled && (d.Ads is null || (eventType.EventName is { } name && d.Ads.Events.ContainsKey(name))))
                .ToList();
            eventTypes.Add(new CompiledEventType(eventType, schema, CompiledSchemaValidator.Create(schema.Schema), rules, root, nodeCount, destinations));
        }

        return new CompiledPolicy(definition, context.Directory, sha256, eventTypes, context.AllowLists);
    }

    private static CompiledFieldRule BuildRule(PolicyValidationContext context, FieldRuleDefinition rule, int index)
    {
        var components = context.Components;
        var path = FieldPath.Parse(rule.PathText);
        DataClasses? declared = rule.Class is null ? null : DataClassNames.Parse([rule.Class]);
        components.Operators.TryGet(rule.Action, out var factory);
        var op = factory.Create(new RuleOptions(rule.Options), FieldRulesAreWellFormed.BuildContext(context, path, declared));
        var derivations = rule.Derive
            .Select(d => new CompiledDerivation(FieldRulesAreWellFormed.Configure(components, d, []), d.OutputName))
            .ToList();
        return new CompiledFieldRule(index, path, op, derivations, isForced: false);
    }

    private static void AddRule(RuleNode root, List<CompiledFieldRule> rules, CompiledFieldRule rule, Func<string, RuleNode> create)
    {
        var node = root;
        foreach (var segment in rule.Path.Segments)
        {
            node = node.GetOrAdd(segment, create);
        }

        node.Rule = rule;
        rules.Add(rule);
    }
}
