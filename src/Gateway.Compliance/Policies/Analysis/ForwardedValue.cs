using System.Globalization;

namespace Gateway.Compliance.Policies.Analysis;

/// <summary>The JSON kinds a forwarded field can hold.</summary>
[Flags]
public enum ValueKinds
{
    None = 0,
    String = 1,
    Number = 2,
    Boolean = 4,
    Any = String | Number | Boolean,
}

/// <summary>
/// What a policy can forward at one path of one event type: the JSON kinds and, when the policy bounds them, every
/// value (as the forwarded JSON writes it: strings as-is, numbers in invariant form, booleans <c>true</c>/<c>false</c>).
/// <see cref="Origin"/> says which rule, schema or feature bounds it, for error messages. Consumers (the scoring
/// loader, <c>gatewayctl policy lint</c>) use it to refuse a condition that can never be true of what is forwarded.
/// </summary>
public sealed record ForwardedValue
{
    public required ValueKinds Kinds { get; init; }

    /// <summary>Every value the field can hold; null when the policy does not bound them (any value of <see cref="Kinds"/>).</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Where the bound comes from, e.g. <c>generalize: band, bounds [5, 15, 30, 60]</c> or <c>schema enum</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>True when the field can hold a JSON number (numeric conditions can hold).</summary>
    public bool CanBeNumber => Kinds.HasFlag(ValueKinds.Number);

    public static ForwardedValue Open(ValueKinds kinds, string origin) => new() { Kinds = kinds, Origin = origin };

    public static ForwardedValue OneOf(IEnumerable<string> values, ValueKinds kinds, string origin) =>
        new() { Kinds = kinds, Values = [.. values.Distinct(StringComparer.Ordinal)], Origin = origin };

    /// <summary>A boolean: <c>true</c> or <c>false</c>.</summary>
    public static ForwardedValue Flag(string origin) => OneOf(["true", "false"], ValueKinds.Boolean, origin);

    /// <summary>What either of two fields can hold (e.g. one attribute read from several event types).</summary>
    public ForwardedValue Union(ForwardedValue other)
    {
        var origin = Origin == other.Origin ? Origin : $"{Origin}; {other.Origin}";
        return new ForwardedValue
        {
            Kinds = Kinds | other.Kinds,
            Values = Values is null || other.Values is null ? null : [.. Values.Union(other.Values, StringComparer.Ordinal)],
            Origin = origin,
        };
    }

    /// <summary>The values for a message: the list when bounded, else the kinds in words.</summary>
    public string Describe()
    {
        if (Values is { } values)
        {
            return values.Count == 1 ? $"only '{values[0]}'" : $"one of {string.Join(", ", values)}";
        }

        var kinds = new List<string>();
        if (Kinds.HasFlag(ValueKinds.String))
        {
            kinds.Add("any string");
        }

        if (Kinds.HasFlag(ValueKinds.Number))
        {
            kinds.Add("a number");
        }

        if (Kinds.HasFlag(ValueKinds.Boolean))
        {
            kinds.Add("true or false");
        }

        return kinds.Count == 0 ? "nothing" : string.Join(" or ", kinds);
    }

    /// <summary>How a JSON scalar is written as a value: strings as-is, numbers round-trip invariant, booleans lower-case.</summary>
    public static string? TextOf(object? scalar) => scalar switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        decimal m => ((double)m).ToString("R", CultureInfo.InvariantCulture),
        IConvertible c => Convert.ToDouble(c, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        _ => scalar.ToString(),
    };
}
