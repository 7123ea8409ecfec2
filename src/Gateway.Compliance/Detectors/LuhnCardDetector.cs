using System.Buffers;

namespace Gateway.Compliance.Detectors;

/// <summary>Payment card numbers: 13-19 digits, optionally grouped, that pass the Luhn check.</summary>
public sealed class LuhnCardDetector(SearchValues<char>? mayMatchOnlyWith) : RegexDetector("credit-card", BuiltInPatterns.CardCandidate(), mayMatchOnlyWith: mayMatchOnlyWith)
{
    public LuhnCardDetector()
        : this(BuiltInPatterns.Digits)
    {
    }

    protected override bool Accept(ReadOnlySpan<char> candidate) => PassesLuhn(candidate);

    /// <summary>The Luhn (mod 10) check over the digits of <paramref name="candidate"/>.</summary>
    public static bool PassesLuhn(ReadOnlySpan<char> candidate)
    {
        var sum = 0;
        var digits = 0;
        var doubleIt = false;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            var c = candidate[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
            doubleIt = !doubleIt;
        }

        return digits is >= 13 and <= 19 && sum % 10 == 0;
    }
}
