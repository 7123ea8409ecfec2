using Scoring.Engine.Routing;
using Scoring.Engine.Stages;

namespace Scoring.Engine.Configuration;

/// <summary>
/// One vertical's scoring configuration (<c>policies/&lt;vertical&gt;/scoring.yaml</c>), validated and ready to use.
/// Immutable: a new file means a new instance, identified by <see cref="Sha256"/>.
/// </summary>
public sealed record ScoringConfig
{
    /// <summary>The file's name inside a vertical's folder.</summary>
    public const string FileName = "scoring.yaml";

    /// <summary>The decay rate used when the file does not set one: 25% per quarter of inactivity.</summary>
    public const double DefaultDecayPerQuarter = 0.25;

    /// <summary>The vertical's name; equals its folder's name (and the policy's name).</summary>
    public required string Vertical { get; init; }

    /// <summary>The author's version string, shown in breakdowns.</summary>
    public required string Version { get; init; }

    /// <summary>Points a lead's score must exceed (shown to two decimals) to be an MQL.</summary>
    public required double Threshold { get; init; }

    /// <summary>Fraction of intent points lost per quarter (91.3125 days) since each signal; 0.20 to 0.30.</summary>
    public double DecayPerQuarter { get; init; } = DefaultDecayPerQuarter;

    /// <summary>Named lead attributes and where events carry them; the latest value wins.</summary>
    public required IReadOnlyList<AttributeDefinition> Attributes { get; init; }

    /// <summary>Points per attribute value: how well the lead matches the ideal profile. Fit never decays.</summary>
    public required IReadOnlyList<FitRule> Fit { get; init; }

    public required IntentSettings Intent { get; init; }

    /// <summary>Rules that make a lead an MQL whatever its score, for a while after a strong signal.</summary>
    public required IReadOnlyList<DirectRule> DirectRules { get; init; }

    /// <summary>Rules that convert a lead when a system of record books it (empty: only people convert leads).</summary>
    public IReadOnlyList<ConversionRule> ConversionRules { get; init; } = [];

    public required StageSettings Stages { get; init; }

    /// <summary>How leads are classified for reporting (empty: no lead types).</summary>
    public IReadOnlyList<LeadTypeRule> LeadTypes { get; init; } = [];

    public required RoutingSettings Routing { get; init; }

    /// <summary>The practices with their own settings (<c>practices/*.yaml</c>), by practice id.</summary>
    public IReadOnlyDictionary<string, Practices.PracticeSettings> Practices { get; init; } = new Dictionary<string, Practices.PracticeSettings>();

    /// <summary>SHA-256 of the file's bytes (lower-case hex): which configuration scored a lead.</summary>
    public required string Sha256 { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    /// <summary>Where top-level settings were written (<c>vertical</c>, <c>threshold</c>, <c>decay.perQuarter</c>), for error messages.</summary>
    public IReadOnlyDictionary<string, SourceLocation> SettingLocations { get; init; } = new Dictionary<string, SourceLocation>();

    public SourceLocation LocationOf(string setting) => SettingLocations.TryGetValue(setting, out var location) ? location : Location;

    /// <summary>The most fit points a lead can get (the best value of every fit rule).</summary>
    public double MaxFit => Fit.Sum(f => Math.Max(0, f.MaxPoints));

    /// <summary>The stage a converted lead reaches: appointment (care) or opportunity (B2B).</summary>
    public LeadStage ConversionStage => Stages.Conversion;

    public AttributeDefinition? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}
