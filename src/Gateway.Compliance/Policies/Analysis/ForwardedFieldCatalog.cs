using System.Collections.Frozen;
using Gateway.Compliance.Paths;

namespace Gateway.Compliance.Policies.Analysis;

/// <summary>
/// What a vertical's compiled policy forwards, per event type (keyed as scoring keys events: a track event's name,
/// else its type) and path: the value each rule writes (<see cref="RuleOutputs"/>, from the schema's <c>enum</c>,
/// band bounds, the policy's value sets) and each derived feature under <c>derived.*</c>. Paths no rule writes are
/// not forwarded (the policy is an allow-list). Built once from a loaded policy; read by the scoring loader and
/// <c>gatewayctl policy lint</c> to refuse conditions that can never be true of what reaches them.
/// </summary>
public sealed class ForwardedFieldCatalog
{
    private readonly FrozenDictionary<string, EventFields> _events;

    private ForwardedFieldCatalog(FrozenDictionary<string, EventFields> events)
    {
        _events = events;
    }

    /// <summary>The event keys: track event names and the other call types the policy lists.</summary>
    public IReadOnlyCollection<string> EventKeys => _events.Keys;

    /// <param name="valueSets">The policy's named value sets (<c>values:</c>), which <c>keep</c> rules may name.</param>
    public static ForwardedFieldCatalog Of(CompiledPolicy policy, IReadOnlyDictionary<string, IReadOnlyList<string>>? valueSets = null)
    {
        valueSets ??= FrozenDictionary<string, IReadOnlyList<string>>.Empty;
        var events = new Dictionary<string, EventFields>(StringComparer.Ordinal);
        foreach (var type in policy.EventTypes)
        {
            var fields = new EventFields();
            foreach (var rule in type.Rules)
            {
                var (definition, _) = RuleSources.Find(policy, type, rule);
                var schema = type.Schema.Schema;
                ForwardedValue? Output(IReadOnlyList<string> segments) => RuleOutputs.Of(
                    rule.Operator.Action, rule.Operator.Method, definition?.Options, () => SchemaValueShape.Of(schema, segments), valueSets);

                if (rule.Path.HasWildcard)
                {
                    fields.Wildcards.Add((rule.Path, Output));
                }
                else
                {
                    // A dropped path is recorded too: a wildcard rule must not stand in for it.
                    fields.Exact[rule.Path.Text] = Output(rule.Path.Segments);
                }

                foreach (var derivation in rule.Derivations)
                {
                    var outputs = derivation.Deriver.Outputs;
                    var origin = derivation.Deriver.Name == derivation.OutputName
                        ? $"derived feature '{derivation.OutputName}'"
                        : $"derived feature '{derivation.Deriver.Name}' as '{derivation.OutputName}'";
                    fields.Exact["derived." + derivation.OutputName] = outputs.IsFlag
                        ? ForwardedValue.Flag(origin)
                        : outputs.Labels is { } labels ? ForwardedValue.OneOf(labels, ValueKinds.String, origin) : ForwardedValue.Open(ValueKinds.String, origin);
                }
            }

            events[type.EventName ?? type.Type] = fields;
        }

        return new ForwardedFieldCatalog(events.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool Contains(string eventKey) => _events.ContainsKey(eventKey);

    /// <summary>What events of <paramref name="eventKey"/> forward at <paramref name="path"/>; null when nothing is.</summary>
    public ForwardedValue? Find(string eventKey, string path) =>
        _events.TryGetValue(eventKey, out var fields) ? fields.Find(path) : null;

    /// <summary>What any event type forwards at <paramref name="path"/> (the union); null when none does.</summary>
    public ForwardedValue? FindInAnyEvent(string path) =>
        _events.Values.Select(f => f.Find(path)).OfType<ForwardedValue>().Aggregate((ForwardedValue?)null, (a, b) => a is null ? b : a.Union(b));

    private sealed class EventFields
    {
        public Dictionary<string, ForwardedValue?> Exact { get; } = new(StringComparer.Ordinal);

        public List<(FieldPath Pattern, Func<IReadOnlyList<string>, ForwardedValue?> Output)> Wildcards { get; } = [];

        public ForwardedValue? Find(string path)
        {
            if (Exact.TryGetValue(path, out var value))
            {
                return value;
            }

            var segments = path.Split('.');
            foreach (var (pattern, output) in Wildcards)
            {
                if (pattern.Segments.Count == segments.Length
                    && pattern.Segments.Select((s, i) => s == FieldPath.Wildcard || s == segments[i]).All(m => m))
                {
                    // Resolved in the schema by the rule's own pattern: a concrete array index is not a property name.
                    return output(pattern.Segments);
                }
            }

            return null;
        }
    }
}
