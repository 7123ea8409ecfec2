using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Compliance.Operators;

/// <summary>
/// <c>hmac</c>: replaces an identifier with the practice's keyed HMAC-SHA256 pseudonym
/// (<c>{keyId}:{base64url}</c>). Option <c>normalize</c>: <c>exact</c> (default), <c>lower</c>,
/// <c>email</c> or <c>phone</c>. The pseudonym is PHI and goes only to destinations under a BAA.
/// </summary>
public sealed class HmacOperatorFactory : IFieldOperatorFactory
{
    public string Action => "hmac";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors) =>
        ReadNormalization(options, errors);

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context) =>
        new HmacOperator(ReadNormalization(options, []));

    internal static IdentifierNormalization ReadNormalization(RuleOptions options, ICollection<string> errors)
    {
        var text = options.GetString("normalize", errors);
        switch (text)
        {
            case null or "exact":
                return IdentifierNormalization.Exact;
            case "lower":
                return IdentifierNormalization.Lower;
            case "email":
                return IdentifierNormalization.Email;
            case "phone":
                return IdentifierNormalization.Phone;
            default:
                errors.Add("option 'normalize' must be one of exact, lower, email, phone");
                return IdentifierNormalization.Exact;
        }
    }

    internal sealed class HmacOperator(IdentifierNormalization normalization) : FieldOperator("hmac", DataClasses.PseudonymousId)
    {
        public IdentifierNormalization Normalization { get; } = normalization;

        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (!TryGetText(value, out var text) || text.Trim().Length == 0)
            {
                return value.ValueKind == JsonValueKind.Null ? FieldOutcome.Dropped : FieldOutcome.Invalid;
            }

            var key = context.Practice.Keys.Active;
            if (context.Pseudonyms.TryGet(key, Normalization, text, out var known))
            {
                output.WriteString(known);
                return FieldOutcome.Written;
            }

            Span<char> buffer = stackalloc char[key.Id.Length + 1 + Pseudonymizer.EncodedLength];
            var length = Pseudonymizer.Pseudonymize(key, text, Normalization, buffer);
            output.WriteString(buffer[..length]);
            return FieldOutcome.Written;
        }
    }
}
