using Gateway.Compliance.Classification;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Paths;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Tokens;

namespace Gateway.Compliance.Operators;

/// <summary>What a factory may need when it builds an operator for one rule.</summary>
public sealed record OperatorBuildContext
{
    public required FieldPath Path { get; init; }

    /// <summary>The class the policy declares for the rule's output, if any.</summary>
    public DataClasses? DeclaredClass { get; init; }

    public required TextDetectorRegistry Detectors { get; init; }

    /// <summary>What the policy allows inside values: vocabulary, value sets, URL templates and hosts.</summary>
    public PolicyAllowLists AllowLists { get; init; } = PolicyAllowLists.Empty;

    /// <summary>The tokenizer; null where the host provides none (then <c>tokenize</c> rules fail validation).</summary>
    public ITokenProtector? Tokens { get; init; }
}
