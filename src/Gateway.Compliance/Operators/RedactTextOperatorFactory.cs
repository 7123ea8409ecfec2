using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Operators;

/// <summary>
/// <c>redact-text</c>: fail-closed free text (<see cref="FreeTextScrubber"/>). A word is forwarded only when it is in
/// the policy's vocabulary (the shipped English list plus the policy's <c>vocabulary</c> and value sets) and nothing
/// flags it; names, numbers, codes, addresses, emails and unknown words become <c>[REDACTED:TYPE]</c> or
/// <c>[REDACTED]</c>. Option <c>detectors</c>: which detectors label what they find (default: all, and
/// <c>person-name</c> labels names); unknown words are redacted whatever it says. The output stays classed
/// <c>redacted-text</c>, which is PHI: an allow-list of words reduces risk, it does not de-identify.
/// Option <c>maxLength</c>: the scrubbed text is cut to this length (default 4000 characters); the whole text is always
/// scrubbed first, so a cut never splits an identifier into an unredacted fragment.
/// </summary>
public sealed class RedactTextOperatorFactory : IFieldOperatorFactory
{
    public const int DefaultMaxLength = 4000;

    public string Action => "redact-text";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors)
    {
        foreach (var name in options.GetStringList("detectors", errors))
        {
            if (name != FreeTextScrubber.PersonName && !context.Detectors.TryGet(name, out _))
            {
                errors.Add($"unknown detector '{name}' (known: {string.Join(", ", context.Detectors.Names.Append(FreeTextScrubber.PersonName).Order(StringComparer.Ordinal))})");
            }
        }

        ReadMaxLength(options, errors);
    }

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context)
    {
        var names = options.GetStringList("detectors", []);
        var scrubber = names.Count == 0
            ? context.AllowLists.Text
            : new FreeTextScrubber(Detectors(names, context.Detectors), context.AllowLists.Vocabulary, findNames: names.Contains(FreeTextScrubber.PersonName));
        return new RedactTextOperator(scrubber, ReadMaxLength(options, []));
    }

    private static IEnumerable<ITextDetector> Detectors(IReadOnlyList<string> names, TextDetectorRegistry registry) =>
        names.Where(n => n != FreeTextScrubber.PersonName)
            .SelectMany(n => registry.TryGet(n, out var d) ? d : throw new InvalidOperationException("Create called for a rule that did not validate."));

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

    internal sealed class RedactTextOperator(FreeTextScrubber scrubber, int maxLength) : FieldOperator("redact-text", DataClasses.RedactedText)
    {
        public FreeTextScrubber Scrubber { get; } = scrubber;

        public override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                return value.ValueKind == JsonValueKind.Null ? FieldOutcome.Dropped : FieldOutcome.Invalid;
            }

            var result = Scrubber.Scrub(value.GetString()!);
            context.ReportDetectors(result.Labels);
            var text = result.Text;
            output.WriteString(text.Length > maxLength ? text.AsSpan(0, maxLength) : text);
            return FieldOutcome.Written;
        }
    }
}
