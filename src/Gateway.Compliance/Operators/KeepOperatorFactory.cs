using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Operators;

/// <summary><c>keep</c>: forwards the value unchanged. Its class is the one the policy declares, else <c>phi</c>.</summary>
public sealed class KeepOperatorFactory : IFieldOperatorFactory
{
    public string Action => "keep";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors)
    {
    }

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context) =>
        new KeepOperator(context.DeclaredClass ?? DataClasses.Phi);

    private sealed class KeepOperator(DataClasses outputClass) : FieldOperator("keep", outputClass)
    {
        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            output.WriteElement(value);
            return FieldOutcome.Written;
        }
    }
}
