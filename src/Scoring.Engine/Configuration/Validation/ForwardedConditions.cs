using System.Globalization;
using Gateway.Compliance.Policies.Analysis;
using Scoring.Engine.Events;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Whether a condition (or a fit value) can ever be true of what the policy forwards at its field: a number test
/// needs a number (a band label such as <c>30-60</c> never is one), a listed value must be one the field can hold
/// (an enum value, a band label, <c>true</c>/<c>false</c> for flags). Returns the reason it cannot, or null.
/// </summary>
internal static class ForwardedConditions
{
    public static string? Problem(Condition condition, ForwardedValue forwarded, string subject) => condition.Kind switch
    {
        ConditionKind.Present => null,
        ConditionKind.AtLeast => AtLeastProblem(condition.AtLeast, forwarded, subject),
        _ => condition.Values.Where(v => !CanBe(forwarded, v)).ToList() is { Count: > 0 } impossible
            ? $"can never be {string.Join(" or ", impossible.Select(v => $"'{v}'"))}: {subject} {Forwards(forwarded)}"
            : null,
    };

    /// <summary>Whether the field can hold the (normalized) value.</summary>
    public static bool CanBe(ForwardedValue forwarded, string normalized)
    {
        if (forwarded.Values is { } values)
        {
            return values.Any(v => FieldValues.Normalize(v) == normalized);
        }

        var number = double.TryParse(normalized, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed);
        return forwarded.Kinds.HasFlag(ValueKinds.String)
            || (forwarded.Kinds.HasFlag(ValueKinds.Boolean) && normalized is "true" or "false")
            || (forwarded.Kinds.HasFlag(ValueKinds.Number) && number && parsed.ToString("R", CultureInfo.InvariantCulture) == normalized);
    }

    /// <summary>"forwards one of a, b (origin)", for messages.</summary>
    public static string Forwards(ForwardedValue forwarded) => $"is forwarded as {forwarded.Describe()} ({forwarded.Origin})";

    private static string? AtLeastProblem(double atLeast, ForwardedValue forwarded, string subject)
    {
        var bound = atLeast.ToString("0.##", CultureInfo.InvariantCulture);
        if (!forwarded.CanBeNumber)
        {
            var labels = forwarded.Values is { } values ? LabelsFrom(values, atLeast) : [];
            var hint = labels.Count > 0 ? $"; test the labels instead: [{string.Join(", ", labels)}]" : string.Empty;
            return $"'atLeast: {bound}' can never hold: {subject} {Forwards(forwarded)}, never a number{hint}";
        }

        if (forwarded.Values is { } numbers
            && !numbers.Any(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= atLeast))
        {
            return $"'atLeast: {bound}' can never hold: {subject} {Forwards(forwarded)}";
        }

        return null;
    }

    /// <summary>Band labels (<c>&lt;5</c>, <c>5-15</c>, <c>60+</c>) whose every value is at least <paramref name="atLeast"/>.</summary>
    private static List<string> LabelsFrom(IReadOnlyList<string> values, double atLeast)
    {
        var result = new List<string>();
        foreach (var label in values)
        {
            var lower = label.EndsWith('+') ? label[..^1] : label.Split('-')[0];
            if (!label.StartsWith('<') && double.TryParse(lower, NumberStyles.Float, CultureInfo.InvariantCulture, out var from) && from >= atLeast)
            {
                result.Add(label);
            }
        }

        return result;
    }
}
