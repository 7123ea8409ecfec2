using System.Collections.Frozen;

namespace Gateway.Compliance.Generalization;

/// <summary>
/// ZIP code generalization under Safe Harbor (45 CFR 164.514(b)(2)(i)(B)): the first three digits may
/// stay only where that three-digit area holds more than 20,000 people; the others become <c>000</c>.
/// The list is HHS's, from the 2000 census.
/// </summary>
public static class SafeHarborZip
{
    /// <summary>ZIP3 areas with 20,000 people or fewer (HHS, 2000 census).</summary>
    public static FrozenSet<string> RestrictedZip3 { get; } = new[]
    {
        "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Reads a US ZIP (<c>12345</c>, <c>12345-6789</c>, <c>123456789</c>) and returns its first three digits, or false.</summary>
    public static bool TryGetZip3(ReadOnlySpan<char> value, out string zip3)
    {
        zip3 = string.Empty;
        value = value.Trim();
        if (value.Length is not (5 or 9 or 10))
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var ok = char.IsAsciiDigit(value[i]) || (i == 5 && value.Length == 10 && value[i] == '-');
            if (!ok)
            {
                return false;
            }
        }

        zip3 = value[..3].ToString();
        return true;
    }

    /// <summary>The Safe Harbor form of a ZIP: its ZIP3, or <c>000</c> for a restricted area.</summary>
    public static bool TryGeneralize(ReadOnlySpan<char> value, out string generalized)
    {
        if (!TryGetZip3(value, out var zip3))
        {
            generalized = string.Empty;
            return false;
        }

        generalized = RestrictedZip3.Contains(zip3) ? "000" : zip3;
        return true;
    }
}
