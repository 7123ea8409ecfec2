using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Text;
using Newtonsoft.Json.Linq;

namespace Gateway.Compliance.Operators;

/// <summary>
/// <c>keep</c>: forwards the value. Its class is the one the policy declares, else <c>phi</c>. A kept value is checked
/// when the rule says how: option <c>values</c> (a value set's name, or a list) forwards only listed values, written as
/// listed; option <c>guard</c> forwards only strings that pass a <see cref="ValueGuard"/>. A value that fails is
/// dropped (<see cref="FieldOutcome.Refused"/>) and the rest of the event goes on. Which kept strings must be checked
/// is the policy's <c>KeptValuesAreConstrained</c> rule.
/// </summary>
public sealed class KeepOperatorFactory : IFieldOperatorFactory
{
    public string Action => "keep";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors) => Build(options, context, errors);

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context) =>
        Build(options, context, []) ?? throw new InvalidOperationException("Create called for a rule that did not validate.");

    private static FieldOperator? Build(RuleOptions options, OperatorBuildContext context, ICollection<string> errors)
    {
        var outputClass = context.DeclaredClass ?? DataClasses.Phi;
        var values = options.GetToken("values");
        var guardName = options.GetString("guard", errors);
        if (values is not null && guardName is not null)
        {
            errors.Add("a keep rule takes 'values' or 'guard', not both");
            return null;
        }

        if (guardName is not null)
        {
            if (!ValueGuard.TryGet(guardName, out var guard))
            {
                errors.Add($"unknown guard '{guardName}' (known: {string.Join(", ", ValueGuard.Names)})");
                return null;
            }

            return new GuardedKeep(outputClass, guard, context.AllowLists);
        }

        switch (values)
        {
            case null:
                return new KeepOperator(outputClass);
            case { Type: JTokenType.String }:
                var name = (string)values!;
                if (!context.AllowLists.ValueSets.TryGetValue(name, out var set))
                {
                    errors.Add($"'values: {name}' names no value set of the policy (known: {string.Join(", ", context.AllowLists.ValueSets.Keys.Order(StringComparer.Ordinal))})");
                    return null;
                }

                return new ListedKeep(outputClass, set);
            case JArray array when array.Count > 0 && array.All(t => t.Type == JTokenType.String):
                return new ListedKeep(outputClass, new ValueSet("inline", array.Select(t => (string)t!)));
            default:
                errors.Add("option 'values' is a value set's name or a non-empty list of strings");
                return null;
        }
    }

    private sealed class KeepOperator(DataClasses outputClass) : FieldOperator("keep", outputClass)
    {
        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            output.WriteElement(value);
            return FieldOutcome.Written;
        }
    }

    private sealed class ListedKeep(DataClasses outputClass, ValueSet set) : FieldOperator("keep", outputClass)
    {
        private readonly string _reason = set.Name == "inline" ? "values" : "values:" + set.Name;

        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String when set.TryMatch(value.GetString()!, context.Practice, out var listed):
                    output.WriteString(listed);
                    return FieldOutcome.Written;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when set.TryMatch(value.GetRawText(), context.Practice, out _):
                    output.WriteElement(value);
                    return FieldOutcome.Written;
                case JsonValueKind.Null:
                    return FieldOutcome.Dropped;
                default:
                    context.ReportRefusal(_reason);
                    return FieldOutcome.Refused;
            }
        }
    }

    private sealed class GuardedKeep(DataClasses outputClass, ValueGuard guard, PolicyAllowLists lists) : FieldOperator("keep", outputClass)
    {
        private readonly string _reason = "guard:" + guard.Name;
        private readonly AcceptedValueCache _accepted = new();
        private readonly Func<string, bool> _check = value => guard.Accepts(value, lists);

        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return FieldOutcome.Dropped;
            }

            if (value.ValueKind == JsonValueKind.String && TextNormalization.Normalize(value.GetString()!) is var text && _accepted.Accepts(text, _check))
            {
                // The normalized form: invisible characters could otherwise carry bits past the guard.
                output.WriteString(text);
                return FieldOutcome.Written;
            }

            context.ReportRefusal(_reason);
            return FieldOutcome.Refused;
        }
    }
}
