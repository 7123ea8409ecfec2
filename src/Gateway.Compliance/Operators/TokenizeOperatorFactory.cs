using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Tokens;

namespace Gateway.Compliance.Operators;

/// <summary>
/// <c>tokenize</c>: replaces a value with a reversible token (<c>tok:...</c>) made with ASP.NET Core
/// Data Protection under a per-practice purpose. Only the gateway's key ring can reverse it.
/// If protection fails (no usable key), the exception reaches the pipeline, which forwards nothing
/// and answers with a retryable status: a missing key never lets a value through in clear.
/// </summary>
public sealed class TokenizeOperatorFactory : IFieldOperatorFactory
{
    /// <summary>Prefix that marks a token in forwarded events.</summary>
    public const string TokenPrefix = "tok:";

    public string Action => "tokenize";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors)
    {
        if (context.Tokens is null)
        {
            errors.Add("tokenize needs a token protector, and none is configured in this host");
        }
    }

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context) =>
        new TokenizeOperator(context.Tokens ?? throw new InvalidOperationException("No token protector is configured."));

    private sealed class TokenizeOperator(ITokenProtector tokens) : FieldOperator("tokenize", DataClasses.Token)
    {
        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (!TryGetText(value, out var text))
            {
                return value.ValueKind == JsonValueKind.Null ? FieldOutcome.Dropped : FieldOutcome.Invalid;
            }

            output.WriteString(TokenPrefix + tokens.Protect(context.Practice.Id, text));
            return FieldOutcome.Written;
        }
    }
}
