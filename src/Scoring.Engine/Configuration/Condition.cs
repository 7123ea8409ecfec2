using System.Globalization;
using Scoring.Engine.Events;

namespace Scoring.Engine.Configuration;

/// <summary>How a <see cref="Condition"/> tests a value.</summary>
public enum ConditionKind
{
    /// <summary>The value equals one of <see cref="Condition.Values"/> (after normalization).</summary>
    OneOf,

    /// <summary>The value is a number at least <see cref="Condition.AtLeast"/>.</summary>
    AtLeast,

    /// <summary>The value is present (or absent, when <see cref="Condition.Present"/> is false).</summary>
    Present,
}

/// <summary>
/// A test on one field: an event field path (<c>properties.response</c>) in intent variants and direct rules,
/// or an attribute name (<c>service_line</c>) in routing rules. Written as a scalar, a list, <c>{ atLeast: n }</c>
/// or <c>{ present: true }</c>.
/// </summary>
public sealed record Condition
{
    public required string Field { get; init; }

    public required ConditionKind Kind { get; init; }

    /// <summary>Normalized values for <see cref="ConditionKind.OneOf"/>.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    public double AtLeast { get; init; }

    public bool Present { get; init; } = true;

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    /// <summary>Tests the value found for <see cref="Field"/> (null when absent).</summary>
    public bool Matches(string? value) => Kind switch
    {
        ConditionKind.Present => (value is not null) == Present,
        ConditionKind.AtLeast => value is not null
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number >= AtLeast,
        _ => value is not null && Values.Contains(FieldValues.Normalize(value), StringComparer.Ordinal),
    };

    public static bool All(IReadOnlyList<Condition> conditions, Func<string, string?> lookup) =>
        conditions.All(c => c.Matches(lookup(c.Field)));

    public string Describe() => Kind switch
    {
        ConditionKind.Present => Present ? $"{Field} present" : $"{Field} absent",
        ConditionKind.AtLeast => $"{Field} >= {AtLeast.ToString(CultureInfo.InvariantCulture)}",
        _ => Values.Count == 1 ? $"{Field} = {Values[0]}" : $"{Field} in [{string.Join(", ", Values)}]",
    };
}
