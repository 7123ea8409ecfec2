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

    /// <summary>Computes the feature; false when the value yields none (then nothing is written).</summary>
    bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result);
}

/// <summary>A derived feature's value: a boolean or a short label. Never a copy of the input.</summary>
public readonly record struct DerivedValue
{
    private DerivedValue(bool? flag, string? label)
    {
        Flag = flag;
        Label = label;
    }

    public bool? Flag { get; }

    public string? Label { get; }

    public static DerivedValue Of(bool flag) => new(flag, null);

    public static DerivedValue Of(string label) => new(null, label);

    public override string ToString() => Flag?.ToString().ToLowerInvariant() ?? Label ?? string.Empty;
}
