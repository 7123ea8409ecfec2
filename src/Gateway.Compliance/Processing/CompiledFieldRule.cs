using System.Text.Json;
using Gateway.Compliance.Derivation;
using Gateway.Compliance.Operators;
using Gateway.Compliance.Paths;

namespace Gateway.Compliance.Processing;

/// <summary>One policy field rule, compiled: the path, the operator, and the features derived first.</summary>
public sealed class CompiledFieldRule
{
    internal CompiledFieldRule(int index, FieldPath path, FieldOperator op, IReadOnlyList<CompiledDerivation> derivations, bool isForced)
    {
        Index = index;
        Path = path;
        Operator = op;
        Derivations = derivations;
        IsForced = isForced;
    }

    /// <summary>Position in the event type's rule list (used to trace outcomes without allocating).</summary>
    public int Index { get; }

    public FieldPath Path { get; }

    public FieldOperator Operator { get; }

    public IReadOnlyList<CompiledDerivation> Derivations { get; }

    /// <summary>True for a rule the engine adds on its own (<c>userId</c> and <c>anonymousId</c> are always pseudonymized).</summary>
    public bool IsForced { get; }
}

/// <summary>A feature to derive from a field, and the name it is written under in <c>derived</c>.</summary>
public sealed class CompiledDerivation
{
    internal CompiledDerivation(IFeatureDeriver deriver, string outputName)
    {
        Deriver = deriver;
        OutputName = outputName;
        EncodedName = JsonEncodedText.Encode(outputName);
    }

    public IFeatureDeriver Deriver { get; }

    public string OutputName { get; }

    internal JsonEncodedText EncodedName { get; }
}
