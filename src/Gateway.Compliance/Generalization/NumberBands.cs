using System.Globalization;

namespace Gateway.Compliance.Generalization;

/// <summary>Numbers to labelled ranges: with bounds [6, 12, 24], 3 is <c>&lt;6</c>, 7 is <c>6-12</c>, 30 is <c>24+</c>.</summary>
public static class NumberBands
{
    public static string BandFor(double value, IReadOnlyList<double> bounds)
    {
        if (value < bounds[0])
        {
            return "<" + Format(bounds[0]);
        }

        for (var i = 1; i < bounds.Count; i++)
        {
            if (value < bounds[i])
            {
                return Format(bounds[i - 1]) + "-" + Format(bounds[i]);
            }
        }

        return Format(bounds[^1]) + "+";
    }

    /// <summary>Every label <see cref="BandFor"/> can return for <paramref name="bounds"/>, lowest first.</summary>
    public static IReadOnlyList<string> Labels(IReadOnlyList<double> bounds)
    {
        var labels = new List<string> { "<" + Format(bounds[0]) };
        for (var i = 1; i < bounds.Count; i++)
        {
            labels.Add(Format(bounds[i - 1]) + "-" + Format(bounds[i]));
        }

        labels.Add(Format(bounds[^1]) + "+");
        return labels;
    }

    private static string Format(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
