using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Operators;

/// <summary><c>drop</c>: removes the value (and, on an object or array, everything under it).</summary>
public sealed class DropOperatorFactory : IFieldOperatorFactory
{
    public string Action => "drop";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors)
    {
    }

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context) => DropOperator.Instance;

    internal sealed class DropOperator() : FieldOperator("drop", DataClasses.None)
    {
        public static DropOperator Instance { get; } = new();

        public override bool AppliesToContainers => true;

        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context) => FieldOutcome.Dropped;
    }
}
