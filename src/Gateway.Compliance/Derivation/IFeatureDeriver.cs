using System.Text.Json;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Derivation;

/// <summary>
/// Computes a non-identifying feature from a field before the field's own action runs, so scoring keeps
/// its signal after the identifier is gone (e.g. <c>email_valid</c> from an email that is then dropped).
/// Features land in the forwarded event under <c>derived.&lt;name&gt;</c>.
/// </summary>
public interface IFeatureDeriver
{
    /// <summary>The feature name used in policies.</summary>
    string Name { get; }

    /// <summary>Every value the feature can take (open-ended labels unless a deriver says otherwise).</summary>
    DerivedOutputs Outputs => DerivedOutputs.OpenLabels;

    /// <summary>Computes the feature; false when the value yields none (then nothing is written).</summary>
    bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result);
}

/// <summary>
/// A deriver configured per rule (<c>derive: [{ feature: mentions, terms: [pain, implant] }]</c>): the registry holds
/// an unconfigured one, and each derive entry gets its own from <see cref="Configure"/>, built once at policy load.
/// </summary>
public interface IConfigurableFeatureDeriver : IFeatureDeriver
{
    /// <summary>A deriver for these options; problems go to <paramref name="errors"/> (then the result is not used).</summary>
    IFeatureDeriver Configure(Newtonsoft.Json.Linq.JObject options, ICollection<string> errors);
}

/// <summary>A derived feature's value: a boolean, a short label or a list of labels from a fixed set. Never a copy of the input.</summary>
public readonly record struct DerivedValue
{
    private DerivedValue(bool? flag, string? label, IReadOnlyList<string>? labels)
    {
        Flag = flag;
        Label = label;
        Labels = labels;
    }

    public bool? Flag { get; }

    public string? Label { get; }

    /// <summary>Labels from the rule's own list (e.g. the terms a note mentions), possibly none.</summary>
    public IReadOnlyList<string>? Labels { get; }

    public static DerivedValue Of(bool flag) => new(flag, null, null);

    public static DerivedValue Of(string label) => new(null, label, null);

    public static DerivedValue Of(IReadOnlyList<string> labels) => new(null, null, labels);

    public override string ToString() => Flag?.ToString().ToLowerInvariant() ?? Label ?? (Labels is { } l ? "[" + string.Join(", ", l) + "]" : string.Empty);
}
