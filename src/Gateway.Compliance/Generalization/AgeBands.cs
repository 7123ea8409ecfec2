using System.Globalization;

namespace Gateway.Compliance.Generalization;

/// <summary>
/// Birth dates to age bands. Ages over 89 are always aggregated into <c>90+</c> (Safe Harbor,
/// 45 CFR 164.514(b)(2)(i)(C)); no band ever reveals a birth date or a year of birth.
/// </summary>
public static class AgeBands
{
    /// <summary>Lower bounds of the default bands: 0-17, 18-24, 25-34, ..., 75-89, 90+.</summary>
    public static readonly int[] DefaultLowerBounds = [0, 18, 25, 35, 45, 55, 65, 75, 90];

    /// <summary>Largest age a band may show exactly; older ages are <c>90+</c>.</summary>
    public const int OldestExactAge = 89;

    public static bool TryParseDate(ReadOnlySpan<char> value, out DateOnly date)
    {
        value = value.Trim();
        string[] formats = ["yyyy-MM-dd", "yyyy-M-d", "MM/dd/yyyy", "M/d/yyyy", "yyyyMMdd", "yyyy/MM/dd"];
        if (DateOnly.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
        {
            date = DateOnly.FromDateTime(dto.UtcDateTime);
            return true;
        }

        return false;
    }

    public static int AgeOn(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        if (today < birth.AddYears(age))
        {
            age--;
        }

        return age;
    }

    /// <summary>The band label for a birth date, or false when unparsable or in the future.</summary>
    public static bool TryGetBand(ReadOnlySpan<char> birthDate, DateOnly today, IReadOnlyList<int> lowerBounds, out string band)
    {
        band = string.Empty;
        if (!TryParseDate(birthDate, out var birth) || birth > today)
        {
            return false;
        }

        var age = AgeOn(birth, today);
        if (age > 125)
        {
            return false;
        }

        band = BandFor(age, lowerBounds);
        return true;
    }

    /// <summary>Every label <see cref="BandFor"/> can return for <paramref name="lowerBounds"/>, youngest first.</summary>
    public static IReadOnlyList<string> Labels(IReadOnlyList<int> lowerBounds) =>
        [.. Enumerable.Range(0, OldestExactAge + 2).Select(age => BandFor(age, lowerBounds)).Distinct(StringComparer.Ordinal)];

    public static string BandFor(int age, IReadOnlyList<int> lowerBounds)
    {
        if (age > OldestExactAge)
        {
            return "90+";
        }

        for (var i = lowerBounds.Count - 1; i >= 0; i--)
        {
            if (age >= lowerBounds[i])
            {
                var upper = i + 1 < lowerBounds.Count ? Math.Min(lowerBounds[i + 1] - 1, OldestExactAge) : OldestExactAge;
                return lowerBounds[i] >= 90 ? "90+" : $"{lowerBounds[i]}-{upper}";
            }
        }

        return $"0-{lowerBounds[0] - 1}";
    }
}
