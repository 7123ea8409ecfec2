namespace Scoring.Engine.Configuration;

/// <summary>
/// Fit points for one attribute: points per (normalized) value, and points for any other value. A lead with
/// no value for the attribute gets 0. Points may be negative (e.g. outside the service area).
/// </summary>
public sealed record FitRule
{
    public required string Attribute { get; init; }

    /// <summary>Points by normalized value (trimmed, lower-case; booleans as <c>true</c>/<c>false</c>).</summary>
    public required IReadOnlyDictionary<string, double> Points { get; init; }

    /// <summary>Points for a value not listed in <see cref="Points"/>; null means 0.</summary>
    public double? Otherwise { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public string Path => $"fit.{Attribute}";

    /// <summary>The best this rule can give.</summary>
    public double MaxPoints => Points.Values.Append(Otherwise ?? 0).Append(0).Max();
}
