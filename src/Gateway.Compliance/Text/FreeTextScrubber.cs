using System.Text;
using Gateway.Compliance.Detectors;

namespace Gateway.Compliance.Text;

/// <summary>
/// Fail-closed free text: forwards a word only when it is known to be harmless, and replaces everything else.
/// <list type="number">
/// <item>Normalize (NFKC, invisible characters removed) so look-alike characters cannot slip past the checks.</item>
/// <item>Run the detectors (email, phone, SSN, dates, street addresses, ...) to label what they find, including
/// identifiers built from ordinary words ("x at example dot com", "12 Oak Hollow").</item>
/// <item>Find person names, including names that are ordinary words ("my name is Rose Hunter"): see <see cref="NameFinder"/>.</item>
/// <item>Keep a word only if it is in the policy's <see cref="AllowedVocabulary"/> and nothing above flagged it.
/// Numbers, codes mixing letters and digits, unknown words, and symbols other than plain punctuation are not kept.</item>
/// </list>
/// A redacted span becomes <c>[REDACTED:TYPE]</c> (the detector that found it, <c>PERSON_NAME</c>, <c>NUMBER</c>) or
/// <c>[REDACTED]</c> (a word that is simply not known to be harmless). The result is still treated as PHI
/// (<c>redacted-text</c>): an allow-list of words cannot prove that their combination names no one.
/// </summary>
public sealed class FreeTextScrubber
{
    /// <summary>Label of a word redacted because it is not in the vocabulary.</summary>
    public const string UnknownWord = "unknown-word";

    /// <summary>Label of names found by <see cref="NameFinder"/>.</summary>
    public const string PersonName = "person-name";

    /// <summary>Label of place names found after a cue ("I live in ...").</summary>
    public const string Place = "place";

    /// <summary>Label of numbers no detector claimed (digits, or three or more number words in a row).</summary>
    public const string Number = "number";

    private static readonly string[] s_numberWords =
    [
        "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
        "eighty", "ninety", "hundred", "thousand", "million", "double", "triple", "first", "second", "third", "fourth", "fifth", "sixth",
        "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "twentieth", "thirtieth",
    ];

    private readonly TextDetection _detection;
    private readonly AllowedVocabulary _vocabulary;
    private readonly bool _findNames;

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <param name="detectors">Detectors that label what they find.</param>
    /// <param name="vocabulary">The words that may be forwarded.</param>
    /// <param name="findNames">Label names (<see cref="NameFinder"/>); names of unknown words are redacted either way.</param>
    public FreeTextScrubber(IEnumerable<ITextDetector> detectors, AllowedVocabulary vocabulary, bool findNames = true)
    {
        _detection = new TextDetection(detectors);
        _vocabulary = vocabulary;
        _findNames = findNames;
    }

    public AllowedVocabulary Vocabulary => _vocabulary;

    /// <summary>
    /// The scrubbed text; which labels were used (detector names, <see cref="PersonName"/>, <see cref="Number"/>,
    /// <see cref="UnknownWord"/>; never values); whether anything was redacted or dropped; and whether a detector
    /// timed out (then the whole text is replaced).
    /// </summary>
    public readonly record struct Result(string Text, IReadOnlyList<string> Labels, bool Altered, bool TimedOut);

    public Result Scrub(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = TextNormalization.Normalize(input);
        var scratch = t_scratch ??= new Scratch();
        scratch.Reset();
        if (!_detection.TryFind(text, scratch.Matches))
        {
            return new Result(TextDetection.Placeholder("TEXT"), ["timeout"], true, true);
        }

        var folded = text.ToLowerInvariant();
        var tokens = scratch.Tokens;
        TextTokenizer.Tokenize(text, tokens);
        var labels = scratch.Labels(tokens.Count);

        LabelDetectorSpans(scratch.Matches, tokens, labels);
        var words = scratch.Words;
        for (var t = 0; t < tokens.Count; t++)
        {
            if (tokens[t].Kind == TextTokenKind.Word)
            {
                words.Add(t);
            }
        }

        var unknown = scratch.Flags(words.Count, 0);
        for (var w = 0; w < words.Count; w++)
        {
            unknown[w] = !IsAllowedWord(folded.AsSpan(tokens[words[w]].Start, tokens[words[w]].Length));
        }

        var isName = scratch.Flags(words.Count, 1);
        var isPlace = scratch.Flags(words.Count, 2);
        NameFinder.Find(text, folded, tokens, words, unknown, isName, isPlace, _vocabulary);
        LabelSpelledNumbers(folded, tokens, words, labels);
        for (var w = 0; w < words.Count; w++)
        {
            var t = words[w];
            if (labels[t] is null && (isName[w] || isPlace[w] || unknown[w]))
            {
                labels[t] = isName[w] && _findNames ? PersonName : isPlace[w] ? Place : UnknownWord;
            }
        }

        for (var t = 0; t < tokens.Count; t++)
        {
            // Digits go, unless a domain term spells them ("all-on-4", "glp-1", "covid-19").
            if (labels[t] is null && tokens[t].Kind is TextTokenKind.Number or TextTokenKind.Mixed
                && !(tokens[t].Kind == TextTokenKind.Mixed && _vocabulary.IsDomainTerm(folded.AsSpan(tokens[t].Start, tokens[t].Length))))
            {
                labels[t] = tokens[t].Kind == TextTokenKind.Number ? Number : UnknownWord;
            }
        }

        return Assemble(text, tokens, labels, scratch.Fired);
    }

    /// <summary>True when <paramref name="text"/> passes unchanged: every word allowed, no detector fires, no digit, no symbol.</summary>
    public bool IsHarmless(string text) => !Scrub(text).Altered;

    /// <summary>A word, or each part of a hyphenated one, is in the vocabulary; a possessive "'s" is ignored.</summary>
    private bool IsAllowedWord(ReadOnlySpan<char> word)
    {
        while (word.Length > 0)
        {
            var cut = word.IndexOfAny('-', '_', '.');
            var part = cut < 0 ? word : word[..cut];
            if (!IsAllowedPart(part))
            {
                return false;
            }

            word = cut < 0 ? [] : word[(cut + 1)..];
        }

        return true;
    }

    private bool IsAllowedPart(ReadOnlySpan<char> part)
    {
        if (part.IsEmpty)
        {
            return true;
        }

        Span<char> buffer = stackalloc char[Math.Min(part.Length, 64)];
        if (part.Length > 64)
        {
            return false;
        }

        part.CopyTo(buffer);
        var word = buffer[..part.Length];
        word.Replace('\u2019', '\'');
        if (_vocabulary.Allows(word))
        {
            return true;
        }

        if (word.EndsWith("'s") && _vocabulary.Allows(word[..^2]))
        {
            return true;
        }

        return word.EndsWith("'") && _vocabulary.Allows(word[..^1]);
    }

    private static void LabelDetectorSpans(List<TextMatch> matches, List<TextToken> tokens, string?[] labels)
    {
        if (matches.Count == 0)
        {
            return;
        }

        // Earliest, then longest first: the first detector to claim a token names it.
        matches.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var t = 0;
        foreach (var match in matches)
        {
            while (t > 0 && tokens[t - 1].End > match.Start)
            {
                t--;
            }

            while (t < tokens.Count && tokens[t].End <= match.Start)
            {
                t++;
            }

            // Every token the match touches, whole: a detector never leaves a fragment of a word behind.
            for (var i = t; i < tokens.Count && tokens[i].Start < match.End; i++)
            {
                labels[i] ??= match.Detector;
            }
        }
    }

    private static void LabelSpelledNumbers(string folded, List<TextToken> tokens, List<int> words, string?[] labels)
    {
        var w = 0;
        while (w < words.Count)
        {
            var end = w;
            while (end < words.Count && IsNumberWord(folded, tokens[words[end]]) && (end == w || OnlySpaceOrHyphen(folded, tokens[words[end - 1]].End, tokens[words[end]].Start)))
            {
                end++;
            }

            if (end - w >= 3)
            {
                for (var i = w; i < end; i++)
                {
                    labels[words[i]] ??= Number;
                }
            }

            w = Math.Max(end, w + 1);
        }
    }

    private static bool IsNumberWord(string folded, TextToken token)
    {
        var span = folded.AsSpan(token.Start, token.Length);
        if (span.IndexOf('-') is var dash and > 0)
        {
            // "twenty-one"
            return IsNumberWord(span[..dash]) && IsNumberWord(span[(dash + 1)..]);
        }

        return IsNumberWord(span);
    }

    private static bool IsNumberWord(ReadOnlySpan<char> word)
    {
        foreach (var number in s_numberWords)
        {
            if (word.SequenceEqual(number))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OnlySpaceOrHyphen(string text, int from, int to)
    {
        foreach (var c in text.AsSpan(from, to - from))
        {
            if (!char.IsWhiteSpace(c) && c is not '-' and not ',')
            {
                return false;
            }
        }

        return true;
    }

    private static Result Assemble(string text, List<TextToken> tokens, string?[] labels, List<string> fired)
    {
        var builder = new StringBuilder(text.Length);
        var altered = false;
        string? lastLabel = null;
        var pendingSpace = false;
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (labels[t] is { } label)
            {
                altered = true;
                if (!fired.Contains(label))
                {
                    fired.Add(label);
                }

                // One placeholder for a run of the same label, whatever space or joining punctuation lies between.
                if (lastLabel == label)
                {
                    pendingSpace = false;
                    continue;
                }

                Append(builder, ref pendingSpace, label == UnknownWord ? TextDetection.Placeholder(null) : TextDetection.Placeholder(label));
                lastLabel = label;
                continue;
            }

            switch (token.Kind)
            {
                case TextTokenKind.Space:
                    pendingSpace = builder.Length > 0;
                    break;
                case TextTokenKind.Other:
                    altered = true;
                    break;
                case TextTokenKind.Punctuation when lastLabel is not null && text[token.Start] is '-' or '.' or '/' or '\'' or '\u2019' && NextIsLabelled(tokens, labels, t, lastLabel):
                    // Joining punctuation inside a redacted run ("[REDACTED]-[REDACTED]") is dropped with it.
                    break;
                default:
                    Append(builder, ref pendingSpace, text.AsSpan(token.Start, token.Length));
                    lastLabel = null;
                    break;
            }
        }

        fired.Sort(StringComparer.Ordinal);
        return new Result(builder.ToString(), [.. fired], altered, false);
    }

    private static bool NextIsLabelled(List<TextToken> tokens, string?[] labels, int t, string label)
    {
        for (var i = t + 1; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == TextTokenKind.Space)
            {
                continue;
            }

            return labels[i] == label;
        }

        return false;
    }

    private static void Append(StringBuilder builder, ref bool pendingSpace, ReadOnlySpan<char> value)
    {
        if (pendingSpace)
        {
            builder.Append(' ');
            pendingSpace = false;
        }

        builder.Append(value);
    }

    /// <summary>Per-thread buffers reused between calls (the scrubber itself is shared and immutable).</summary>
    private sealed class Scratch
    {
        private string?[] _labels = new string?[64];
        private bool[] _unknown = new bool[32];
        private bool[] _names = new bool[32];
        private bool[] _places = new bool[32];

        public List<TextMatch> Matches { get; } = [];

        public List<TextToken> Tokens { get; } = [];

        public List<int> Words { get; } = [];

        public List<string> Fired { get; } = [];

        public void Reset()
        {
            Matches.Clear();
            Tokens.Clear();
            Words.Clear();
            Fired.Clear();
        }

        public string?[] Labels(int count)
        {
            if (_labels.Length < count)
            {
                _labels = new string?[Math.Max(count, _labels.Length * 2)];
            }

            Array.Clear(_labels, 0, count);
            return _labels;
        }

        public bool[] Flags(int count, int which)
        {
            ref var flags = ref which == 0 ? ref _unknown : ref which == 1 ? ref _names : ref _places;
            if (flags.Length < count)
            {
                flags = new bool[Math.Max(count, flags.Length * 2)];
            }

            Array.Clear(flags, 0, count);
            return flags;
        }
    }
}
