using System.Collections.Frozen;
using System.Globalization;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Operators;

/// <summary>
/// A check a kept string must pass when its values cannot be listed in advance (<c>keep</c> with <c>guard</c>). Each
/// guard admits only values that cannot carry an identifier: the words of the policy's vocabulary, short numbers, known
/// codes. A value that fails is dropped, and the audit names the path and the guard, never the value.
/// </summary>
public abstract partial class ValueGuard
{
    private static readonly FrozenDictionary<string, ValueGuard> s_guards = new ValueGuard[]
    {
        new TextGuard(), new CodeGuard(), new VersionGuard(), new LocaleGuard(), new CountryGuard(),
    }.ToFrozenDictionary(g => g.Name, StringComparer.Ordinal);

    private static readonly char[] s_wordSeparators = [' ', '-', '_', '.', '/'];

    /// <summary>The guard's name as written in policies.</summary>
    public abstract string Name { get; }

    public static IEnumerable<string> Names => s_guards.Keys.Order(StringComparer.Ordinal);

    public static bool TryGet(string name, out ValueGuard guard) => s_guards.TryGetValue(name, out guard!);

    /// <summary>True when <paramref name="value"/> may be forwarded under <paramref name="lists"/>.</summary>
    public abstract bool Accepts(string value, PolicyAllowLists lists);

    /// <summary><c>text</c>: words of the vocabulary only; nothing a detector finds, no name, no digit, no symbol.</summary>
    private sealed class TextGuard : ValueGuard
    {
        public override string Name => "text";

        public override bool Accepts(string value, PolicyAllowLists lists) =>
            value.Length <= 500 && lists.Text.IsHarmless(value) && !OnlyNameWords(value, lists);
    }

    /// <summary>
    /// No word of three letters or more but name words and function words ("Rose", "nice", "1436 to", "0372 mu"): a value
    /// that could be nothing but a name, a place or a postal code, since no word in it says what the practice meant by it.
    /// </summary>
    private static bool OnlyNameWords(string words, PolicyAllowLists lists)
    {
        foreach (var word in words.ToLowerInvariant().Split(s_wordSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length >= 3 && !word.All(char.IsDigit) && !lists.Vocabulary.IsNameWord(word) && !AllowedVocabulary.IsFunctionWord(word))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>code</c>: a code a practice makes up (<c>spring-implants-2026</c>, <c>implant_consult</c>): at least one word of the
    /// vocabulary and at most four digits in all, joined by <c>- _ . /</c> or spaces; no name, nothing a detector finds.
    /// </summary>
    private sealed class CodeGuard : ValueGuard
    {
        public const int MaxDigits = 4;

        private static readonly FrozenSet<string> s_months = new[]
        {
            "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august",
            "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
        }.ToFrozenSet(StringComparer.Ordinal);

        public override string Name => "code";

        public override bool Accepts(string value, PolicyAllowLists lists)
        {
            if (value.Length is 0 or > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ' '))
            {
                return false;
            }

            var digits = value.Count(char.IsAsciiDigit);
            if (digits > MaxDigits)
            {
                return false;
            }

            // Letters apart from digits and separators ("spring2026" reads "spring"); the words must be harmless, and no
            // detector may find anything in the whole value (a phone or a date written with short digit groups). Month
            // names may name a campaign ("recall-nov"); free text keeps them out, since there a month is part of a date.
            var lowered = value.ToLowerInvariant();
            var words = new System.Text.StringBuilder(value.Length + 8);
            for (var i = 0; i < lowered.Length; i++)
            {
                if (!char.IsAsciiLetter(lowered[i]))
                {
                    continue;
                }

                if (i > 0 && !char.IsAsciiLetter(lowered[i - 1]) && words.Length > 0)
                {
                    words.Append(' ');
                }

                words.Append(lowered[i]);
            }

            if (words.Length == 0)
            {
                // Digits alone name nothing the practice made up, and may be a postal code or a record number.
                return false;
            }

            var text = string.Join(' ', words.ToString().Split(' ').Where(w => !s_months.Contains(w)));

            return lists.Text.IsHarmless(text) && !OnlyNameWords(text, lists) && !NamesAStreet(text)
                && lists.Text.Scrub(value).Labels.All(l => l is FreeTextScrubber.Number or FreeTextScrubber.UnknownWord);
        }
    }

    /// <summary>
    /// <c>version</c>: a software version (<c>1.72.0</c>, <c>next-1.72.0</c>, <c>2.0.0-rc.1</c>, <c>2024.11.3</c>): two to four
    /// numbers of one to four digits (ten digits in all) joined by dots, and release labels joined by <c>. - + _</c>; nothing
    /// a detector finds (an IP address, a date or a phone number written like a version).
    /// </summary>
    private sealed class VersionGuard : ValueGuard
    {
        private static readonly FrozenSet<string> s_labels = new[]
        {
            "v", "next", "alpha", "beta", "rc", "dev", "preview", "pre", "snapshot", "release", "build", "canary", "nightly", "stable", "latest", "final", "ga", "lts",
        }.ToFrozenSet(StringComparer.Ordinal);

        public override string Name => "version";

        public override bool Accepts(string value, PolicyAllowLists lists)
        {
            if (value.Length is 0 or > 40 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or '_'))
            {
                return false;
            }

            var parts = value.ToLowerInvariant().Split(['.', '-', '+', '_']);

            // Numbers are joined by dots ("1.72.0"); "21-986" or "872-104-5123" is not a version.
            var at = 0;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                at += parts[i].Length;
                if (value[at] != '.' && IsNumber(parts[i]) && IsNumber(parts[i + 1]))
                {
                    return false;
                }

                at++;
            }

            var numbers = 0;
            foreach (var part in parts)
            {
                var letters = part.TrimEnd("0123456789".ToCharArray());
                var number = part[letters.Length..];
                if (part.Length == 0 || number.Length > 4 || (letters.Length > 0 && !s_labels.Contains(letters)))
                {
                    return false;
                }

                numbers += number.Length > 0 ? 1 : 0;
            }

            // Two numbers at least ("1.0"): a lone number could be a postal code or a record number.
            return parts.Length <= 6 && numbers is >= 2 and <= 4 && value.Count(char.IsAsciiDigit) <= 10
                && !parts.Any(p => p.Length > 0 && char.IsAsciiDigit(p[0]) && p.Any(char.IsAsciiLetter))
                && lists.Text.Scrub(value).Labels.All(l => l is FreeTextScrubber.Number or FreeTextScrubber.UnknownWord);
        }
    }

    /// <summary>A word followed by a street type ("wolf court", "maple lane"): in a code that reads as an address.</summary>
    private static bool NamesAStreet(string words)
    {
        var parts = words.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < parts.Length; i++)
        {
            if (Detectors.BuiltInPatterns.IsStreetType(parts[i]) && !AllowedVocabulary.IsFunctionWord(parts[i - 1]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNumber(string part) => part.Length > 0 && part.All(char.IsAsciiDigit);

    /// <summary><c>locale</c>: a language tag the platform knows (<c>en</c>, <c>en-US</c>, <c>zh-Hant-TW</c>).</summary>
    private sealed partial class LocaleGuard : ValueGuard
    {
        public override string Name => "locale";

        public override bool Accepts(string value, PolicyAllowLists lists)
        {
            if (value.Length is < 2 or > 20 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }

            var tag = value.Replace('_', '-');
            if (!LocaleShape().IsMatch(tag))
            {
                return false;
            }

            try
            {
                // ICU accepts odd tags ("th-o-nhi-ng") as predefined: the culture must also name itself as written.
                var culture = CultureInfo.GetCultureInfo(tag, predefinedOnly: true);
                return !culture.Equals(CultureInfo.InvariantCulture) && string.Equals(culture.Name, tag, StringComparison.OrdinalIgnoreCase);
            }
            catch (CultureNotFoundException)
            {
                return false;
            }
        }

        /// <summary>Language, optional script, optional region (two letters or three digits).</summary>
        [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
        private static partial System.Text.RegularExpressions.Regex LocaleShape();
    }

    /// <summary><c>country</c>: an ISO 3166 code (<c>US</c>, <c>USA</c>) or a country's English name.</summary>
    private sealed class CountryGuard : ValueGuard
    {
        private static readonly Lazy<FrozenSet<string>> s_countries = new(() =>
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "united states of america", "usa", "uk", "great britain", "england", "scotland", "wales" };
            foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
            {
                try
                {
                    var region = new RegionInfo(culture.Name);
                    names.Add(region.TwoLetterISORegionName);
                    names.Add(region.ThreeLetterISORegionName);
                    names.Add(region.EnglishName);
                }
                catch (ArgumentException)
                {
                }
            }

            return names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        });

        public override string Name => "country";

        public override bool Accepts(string value, PolicyAllowLists lists) => value.Length <= 60 && s_countries.Value.Contains(value.Trim());
    }
}
