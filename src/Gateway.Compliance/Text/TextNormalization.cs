using System.Buffers;
using System.Globalization;
using System.Text;

namespace Gateway.Compliance.Text;

/// <summary>
/// The one normalization every text check runs first, so look-alike characters cannot slip past a word list or a
/// keyword: Unicode NFKC (full-width <c>＠</c> becomes <c>@</c>, <c>ＳＴＯＰ</c> becomes <c>STOP</c>, ligatures and
/// non-breaking spaces become their plain forms), then every format character (zero-width space and joiners,
/// soft hyphen, byte order mark, bidirectional controls) and variation selector removed. <see cref="Fold"/> also
/// case-folds (invariant lower case), for comparisons.
/// </summary>
public static class TextNormalization
{
    /// <summary>
    /// False when the runtime cannot apply NFKC (globalization-invariant mode or no ICU: .NET then returns text
    /// unchanged without an error). Policies refuse to load then, so nothing is checked against unnormalized text.
    /// </summary>
    public static bool IsAvailable { get; } = "\uFF33\uFF34\uFF2F\uFF30".Normalize(NormalizationForm.FormKC) == "STOP";

    /// <summary>NFKC with format characters and variation selectors removed; case is kept.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            // NFKC leaves ASCII unchanged, and ASCII holds no format character.
            return text;
        }

        var composed = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        return RemoveInvisible(composed);
    }

    /// <summary><see cref="Normalize"/>, then case-folded (invariant lower case).</summary>
    public static string Fold(string text) => Normalize(text).ToLowerInvariant();

    /// <summary>True for a character that renders as nothing and so can hide inside a word (category Cf, variation selectors, the combining grapheme joiner).</summary>
    public static bool IsInvisible(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format
        || c is >= '\uFE00' and <= '\uFE0F' or '\u034F';

    private static string RemoveInvisible(string text)
    {
        var first = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsInvisibleAt(text, i))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return text;
        }

        var rented = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            text.AsSpan(0, first).CopyTo(rented);
            var length = first;
            for (var i = first; i < text.Length; i++)
            {
                if (IsInvisibleAt(text, i))
                {
                    if (char.IsHighSurrogate(text[i]))
                    {
                        i++;
                    }

                    continue;
                }

                rented[length++] = text[i];
            }

            return new string(rented, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Also the supplementary variation selectors (U+E0100–U+E01EF) and tag characters, which are surrogate pairs.</summary>
    private static bool IsInvisibleAt(string text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            var scalar = char.ConvertToUtf32(c, text[index + 1]);
            return scalar is >= 0xE0000 and <= 0xE01EF
                || CharUnicodeInfo.GetUnicodeCategory(scalar) == UnicodeCategory.Format;
        }

        return IsInvisible(c);
    }
}
