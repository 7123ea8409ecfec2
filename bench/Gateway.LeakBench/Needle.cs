using System.Text;
using Gateway.Compliance.Text;

namespace Gateway.LeakBench;

/// <summary>How a needle is looked for in the forwarded text.</summary>
public enum NeedleMatch
{
    /// <summary>The folded needle as a whole word (letters or digits on neither side).</summary>
    Word,

    /// <summary>The folded needle anywhere.</summary>
    Substring,

    /// <summary>The needle's digits inside one group of digits joined by separators (spaces, dots, dashes, brackets, slashes, plus).</summary>
    Digits,
}

/// <summary>
/// One piece of a planted identifier whose presence in a forwarded body counts as a leak: a name part, an email's
/// local part, a phone number's last seven digits. Needles are NFKC-folded, as the scanner folds what it reads.
/// </summary>
public readonly record struct Needle(string Text, NeedleMatch Match)
{
    public static Needle Word(string text) => new(TextNormalization.Fold(text), NeedleMatch.Word);

    public static Needle Substring(string text) => new(TextNormalization.Fold(text), NeedleMatch.Substring);

    public static Needle Digits(string text) => new(OnlyDigits(text), NeedleMatch.Digits);

    public static string OnlyDigits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in TextNormalization.Normalize(text))
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>True when the needle occurs in <paramref name="folded"/> (an NFKC-folded forwarded string).</summary>
    public bool IsIn(string folded, IReadOnlyList<string> digitGroups)
    {
        var text = Text;
        return Match switch
        {
            NeedleMatch.Substring => text.Length > 0 && folded.Contains(text, StringComparison.Ordinal),
            NeedleMatch.Word => text.Length > 0 && ContainsWord(folded, text),
            _ => text.Length > 0 && digitGroups.Any(g => g.Contains(text, StringComparison.Ordinal)),
        };
    }

    private static bool ContainsWord(string haystack, string word)
    {
        var index = 0;
        while ((index = haystack.IndexOf(word, index, StringComparison.Ordinal)) >= 0)
        {
            var before = index == 0 || !char.IsLetterOrDigit(haystack[index - 1]);
            var end = index + word.Length;
            var after = end >= haystack.Length || !char.IsLetterOrDigit(haystack[end]);
            if (before && after)
            {
                return true;
            }

            index++;
        }

        return false;
    }
}
