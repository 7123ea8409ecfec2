using System.Globalization;

namespace Gateway.Compliance.Text;

/// <summary>What a <see cref="TextToken"/> is.</summary>
public enum TextTokenKind : byte
{
    /// <summary>Letters (any script, with their marks), possibly joined by apostrophes, hyphens, underscores or dots: <c>don't</c>, <c>follow-up</c>.</summary>
    Word,

    /// <summary>Digits, possibly joined the same way: <c>617-555-0134</c>.</summary>
    Number,

    /// <summary>Letters and digits in one run: <c>A-12345</c>, <c>4B</c>.</summary>
    Mixed,

    /// <summary>A run of white space.</summary>
    Space,

    /// <summary>One punctuation character free text may keep: <c>. , ; : ! ? ' " ( ) - / &amp; %</c>.</summary>
    Punctuation,

    /// <summary>Any other character (symbols, emoji, <c>@</c>, <c>#</c>): never forwarded.</summary>
    Other,
}

/// <summary>A span of normalized text and its kind; never holds the text itself.</summary>
public readonly record struct TextToken(int Start, int Length, TextTokenKind Kind)
{
    public int End => Start + Length;

    public bool IsAlphanumeric => Kind is TextTokenKind.Word or TextTokenKind.Number or TextTokenKind.Mixed;
}

/// <summary>
/// Splits normalized text into words, numbers, space and punctuation. Apostrophes, hyphens, underscores and dots join
/// letters and digits into one token only between two of them ("follow-up", "jane.roe"), so an identifier written
/// with separators is judged whole.
/// </summary>
public static class TextTokenizer
{
    public static void Tokenize(string text, List<TextToken> tokens)
    {
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            var width = CharWidth(text, i);
            if (IsAlphanumericAt(text, i))
            {
                var letters = false;
                var digits = false;
                while (i < text.Length)
                {
                    if (IsAlphanumericAt(text, i))
                    {
                        if (char.IsDigit(text, i))
                        {
                            digits = true;
                        }
                        else
                        {
                            letters = true;
                        }

                        i += CharWidth(text, i);
                    }
                    else if (IsJoiner(text[i]) && i + 1 < text.Length && IsAlphanumericAt(text, i + 1))
                    {
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                tokens.Add(new TextToken(start, i - start, letters && digits ? TextTokenKind.Mixed : digits ? TextTokenKind.Number : TextTokenKind.Word));
            }
            else if (char.IsWhiteSpace(text[i]))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                tokens.Add(new TextToken(start, i - start, TextTokenKind.Space));
            }
            else
            {
                i += width;
                tokens.Add(new TextToken(start, width, width == 1 && IsKeptPunctuation(text[start]) ? TextTokenKind.Punctuation : TextTokenKind.Other));
            }
        }
    }

    /// <summary>The punctuation free text keeps; anything else that is not a letter, digit or space is dropped.</summary>
    public static bool IsKeptPunctuation(char c) => c is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '"' or '(' or ')' or '-' or '/' or '&' or '%' or '\u2019';

    private static bool IsJoiner(char c) => c is '\'' or '\u2019' or '-' or '_' or '.';

    private static bool IsAlphanumericAt(string text, int index)
    {
        if (char.IsLetterOrDigit(text, index))
        {
            return true;
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(text, index);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }

    private static int CharWidth(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
}
