using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Operators;

/// <summary>
/// <c>redact-text</c>: scans free text and replaces each detected identifier with <c>[REDACTED:TYPE]</c>.
/// Option <c>detectors</c>: which detectors to run (default: all registered). The output stays classed
/// <c>redacted-text</c>, which is PHI: detectors reduce risk, they do not de-identify.
/// Option <c>maxLength</c>: the redacted text is cut to this length (default 4000 characters); the whole
/// text is always scanned first, so a cut never splits an identifier into an undetected fragment.
/// </summary>
public sealed class RedactTextOperatorFactory : IFieldOperatorFactory
{
    public const int DefaultMaxLength = 4000;

    public string Action => "redact-text";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors)
    {
        foreach (var name in options.GetStringList("detectors", errors))
        {
            if (!context.Detectors.TryGet(name, out _))
            {
                errors.Add($"unknown detector '{name}' (known: {string.Join(", ", context.Detectors.Names)})");
            }
        }

        ReadMaxLength(options, errors);
    }

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context)
    {
        var names = options.GetStringList("detectors", []);
        var detectors = names.Count == 0
            ? context.Detectors.All
            : [.. names.Select(n => context.Detectors.TryGet(n, out var d) ? d : throw new InvalidOperationException("Create called for a rule that did not validate."))];
        return new RedactTextOperator(new TextRedactor(detectors), ReadMaxLength(options, []));
    }

    private static int ReadMaxLength(RuleOptions options, ICollection<string> errors)
    {
        var value = options.GetNumber("maxLength", errors);
        if (value is null)
        {
            return DefaultMaxLength;
        }

        if (value < 1 || value != Math.Floor(value.Value))
        {
            errors.Add("option 'maxLength' must be a positive whole number");
            return DefaultMaxLength;
        }

        return (int)value.Value;
    }

    internal sealed class RedactTextOperator(TextRedactor redactor, int maxLength) : FieldOperator("redact-text", DataClasses.RedactedText)
    {
        public TextRedactor Redactor { get; } = redactor;

        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                return value.ValueKind == JsonValueKind.Null ? FieldOutcome.Dropped : FieldOutcome.Invalid;
            }

            var result = Redactor.Redact(value.GetString()!);
            context.ReportDetectors(result.DetectorsFired);
            var text = result.Text;
            output.WriteString(text.Length > maxLength ? text.AsSpan(0, maxLength) : text);
            return FieldOutcome.Written;
        }
    }
}
