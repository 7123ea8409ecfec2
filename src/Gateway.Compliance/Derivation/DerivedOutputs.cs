namespace Gateway.Compliance.Derivation;

/// <summary>
/// Every value a derived feature can take, so the features a policy forwards can be checked against what reads
/// them (scoring conditions): a flag (<c>true</c>/<c>false</c>), a fixed set of labels, or open-ended labels.
/// </summary>
public sealed record DerivedOutputs(bool IsFlag, IReadOnlyList<string>? Labels)
{
    public static DerivedOutputs Flag { get; } = new(true, null);

    /// <summary>Labels the deriver does not enumerate (custom derivers).</summary>
    public static DerivedOutputs OpenLabels { get; } = new(false, null);

    public static DerivedOutputs OneOf(params string[] labels) => new(false, labels);
}
