namespace Gateway.Compliance.Text;

/// <summary>
/// Finds person names among the words of normalized text, including names made of ordinary words ("Rose Hunter",
/// "grace white") that the vocabulary alone would let through. A word is a name when:
/// <list type="bullet">
/// <item>it follows a strong cue ("my name is", "patient:", "regards,") or a title ("Dr.", "Mrs."), and so do the
/// name-like words after it (up to three; a function word, punctuation or a number ends the name);</item>
/// <item>it follows a weak cue ("I'm", "this is", "my son", "ask for", "referred by") and looks like a name
/// (Title Case, a name word, or unknown);</item>
/// <item>it is a name word ("rose", "grace") in Title Case inside a sentence;</item>
/// <item>it is in a run of two or more Title Case words inside a sentence, and is neither a function word nor a domain term;</item>
/// <item>it is a name word next to another name word, an unknown word or a name (repeated until nothing changes).</item>
/// </list>
/// </summary>
internal static class NameFinder
{
    private static readonly string[][] s_strongCues =
    [
        ["my", "name", "is"], ["my", "name's"], ["name", "is"], ["names", "are"], ["named"], ["full", "name"], ["patient", "name"],
        ["first", "name"], ["last", "name"], ["surname"], ["nombre"], ["je", "m'appelle"], ["ich", "heiße"],
    ];

    /// <summary>Cues that name what follows only when followed by ':' or ','.</summary>
    private static readonly string[] s_labelCues = ["name", "patient", "pt", "contact", "signed", "regards", "sincerely", "thanks", "cheers", "best", "from", "parent", "guardian", "caller", "spouse"];

    /// <summary>Cues after which the next words name a place ("I live in Long Beach"): geography below the state is an identifier.</summary>
    private static readonly string[][] s_placeCues =
    [
        ["live", "in"], ["lives", "in"], ["living", "in"], ["lived", "in"], ["live", "near"], ["lives", "near"], ["live", "at"], ["lives", "at"],
        ["living", "at"], ["live", "on"], ["lives", "on"], ["living", "on"], ["moved", "to"], ["moving", "to"],
        ["move", "to"], ["relocated", "to"], ["located", "in"], ["resident", "of"], ["reside", "in"], ["based", "in"], ["born", "in"],
        ["grew", "up", "in"], ["visiting", "from"], ["commute", "from"],
    ];

    /// <summary>Words after which a Title Case word inside a sentence names a place ("in Nice", "from Reading").</summary>
    private static readonly string[][] s_weakPlaceCues = [["in"], ["at"], ["near"], ["from"], ["outside"], ["around"]];

    /// <summary>Words that start place names ("New Joy", "Port Grace", "Lake Rose"): with a name or unknown word after them, both name a place.</summary>
    private static readonly string[] s_placePrefixes =
        ["new", "north", "south", "east", "west", "port", "lake", "mount", "mt", "fort", "ft", "saint", "st", "san", "santa", "los", "las", "el", "la", "le", "glen", "bay", "point", "cape", "grand", "little", "upper", "lower", "old"];

    /// <summary>Words that join the parts of a name ("de la", "van der", "bin"): a name when a name stands on both sides.</summary>
    private static readonly string[] s_particles = ["de", "da", "del", "della", "di", "du", "des", "la", "le", "van", "von", "der", "den", "ter", "ten", "bin", "ibn", "al", "el", "dos", "das", "do", "st", "y"];

    private static readonly string[] s_titles = ["dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "dds", "dmd", "sr", "sra", "herr", "frau", "mme", "mlle"];

    private static readonly string[][] s_weakCues =
    [
        ["i", "am"], ["i'm"], ["im"], ["this", "is"], ["it's"], ["its"], ["ask", "for"], ["asked", "for"], ["referred", "by"], ["spoke", "with"],
        ["spoke", "to"], ["talked", "to"], ["contact"], ["call"], ["text"], ["email"], ["ask"], ["tell"], ["thank"],
        ["my", "son"], ["my", "daughter"], ["my", "wife"], ["my", "husband"], ["my", "mother"], ["my", "father"], ["my", "mom"], ["my", "dad"],
        ["my", "child"], ["my", "kid"], ["my", "partner"], ["my", "friend"], ["my", "brother"], ["my", "sister"], ["my", "grandmother"],
        ["my", "grandfather"], ["my", "boyfriend"], ["my", "girlfriend"], ["my", "fiance"], ["my", "caregiver"], ["my", "neighbor"],
    ];

    /// <summary>
    /// Marks the words of <paramref name="words"/> (indexes into <paramref name="tokens"/>) that are person names in
    /// <paramref name="isName"/> and place names in <paramref name="isPlace"/>. <paramref name="folded"/> is the lower-case text (same indexes).
    /// </summary>
    public static void Find(string text, string folded, List<TextToken> tokens, List<int> words, bool[] unknown, bool[] isName, bool[] isPlace, AllowedVocabulary vocabulary)
    {
        var count = words.Count;
        for (var w = 0; w < count; w++)
        {
            if (MatchesCue(folded, tokens, words, w, s_placeCues, out var place))
            {
                // "I live at 52 Pampas": a house number may stand between the cue and the street.
                MarkAfterCue(text, folded, tokens, words, place, unknown, isPlace, vocabulary, strong: true, allowNumber: true);
            }
            else if (MatchesCue(folded, tokens, words, w, s_weakPlaceCues, out place) && place < count
                && IsTitleCase(text, tokens[words[place]]) && !IsSentenceStart(text, tokens, words[place]))
            {
                MarkAfterCue(text, folded, tokens, words, place, unknown, isPlace, vocabulary, strong: false);
            }

            if (MatchesCue(folded, tokens, words, w, s_strongCues, out var next))
            {
                MarkAfterCue(text, folded, tokens, words, next, unknown, isName, vocabulary, strong: true);
            }
            else if (MatchesLabelCue(folded, tokens, words, w, out next))
            {
                MarkAfterCue(text, folded, tokens, words, next, unknown, isName, vocabulary, strong: true);
            }
            else if (IsTitle(folded, tokens, words[w]) && w + 1 < count && Adjacent(text, tokens, words[w], words[w + 1], allowDot: true))
            {
                isName[w + 1] = true;
                if (w + 2 < count && Adjacent(text, tokens, words[w + 1], words[w + 2], allowDot: true) && LooksLikeName(text, folded, tokens, words, w + 2, unknown, vocabulary))
                {
                    isName[w + 2] = true;
                }
            }
            else if (MatchesCue(folded, tokens, words, w, s_weakCues, out next))
            {
                MarkAfterCue(text, folded, tokens, words, next, unknown, isName, vocabulary, strong: false);
            }
        }

        for (var w = 0; w < count; w++)
        {
            var span = Span(folded, tokens[words[w]]);
            if (vocabulary.IsNameWord(span) && IsTitleCase(text, tokens[words[w]]) && !IsSentenceStart(text, tokens, words[w]))
            {
                isName[w] = true;
            }
        }

        MarkCapitalizedRuns(text, folded, tokens, words, unknown, isName, vocabulary);

        for (var w = 0; w + 1 < count; w++)
        {
            var next = Span(folded, tokens[words[w + 1]]);
            if (IsPlacePrefix(Span(folded, tokens[words[w]])) && Adjacent(text, tokens, words[w], words[w + 1], allowDot: true)
                && (unknown[w + 1] || vocabulary.IsNameWord(next)))
            {
                isPlace[w] = true;
                isPlace[w + 1] = true;
            }
        }

        // "Amber here, ..." or "Rose speaking.": the first word of a sentence introduces its writer.
        for (var w = 0; w + 1 < count; w++)
        {
            var next = Span(folded, tokens[words[w + 1]]);
            var span = Span(folded, tokens[words[w]]);
            if ((next is "here" || next is "speaking") && IsSentenceStart(text, tokens, words[w]) && EndsSentence(text, tokens, words[w + 1])
                && Adjacent(text, tokens, words[w], words[w + 1], allowDot: false) && !AllowedVocabulary.IsFunctionWord(span) && !vocabulary.IsDomainTerm(span))
            {
                isName[w] = true;
            }
        }

        // A name word standing alone as a sentence ("Rose.", "NICE") is a sign-off or a place, not a sentence's first word.
        for (var w = 0; w < count; w++)
        {
            var token = tokens[words[w]];
            if (!isName[w] && vocabulary.IsNameWord(Span(folded, token)) && char.IsUpper(text[token.Start])
                && IsSentenceStart(text, tokens, words[w]) && EndsSentence(text, tokens, words[w]))
            {
                isName[w] = true;
            }
        }

        // Name words next to a name, an unknown word or another name word are names; spread until nothing changes.
        bool changed;
        do
        {
            changed = false;
            for (var w = 0; w < count; w++)
            {
                if (isName[w])
                {
                    continue;
                }

                if (unknown[w] || IsFunctionName(text, folded, tokens[words[w]]))
                {
                    // An unknown word next to a name is part of it (it is redacted either way; this names it), and so is a
                    // Title Case "Will" or "May" right before a name.
                    var nextToName = (w > 0 && isName[w - 1] && Adjacent(text, tokens, words[w - 1], words[w], allowDot: false))
                        || (w + 1 < count && isName[w + 1] && Adjacent(text, tokens, words[w], words[w + 1], allowDot: false));
                    if (nextToName && (unknown[w] || (w + 1 < count && isName[w + 1])))
                    {
                        isName[w] = true;
                        changed = true;
                    }

                    continue;
                }

                if (!vocabulary.IsNameWord(Span(folded, tokens[words[w]])) && !IsParticle(Span(folded, tokens[words[w]])))
                {
                    continue;
                }

                var span = Span(folded, tokens[words[w]]);
                if (IsParticle(span))
                {
                    if (w > 0 && w + 1 < count && (isName[w - 1] || unknown[w - 1]) && (isName[w + 1] || unknown[w + 1] || IsParticle(Span(folded, tokens[words[w + 1]])))
                        && Adjacent(text, tokens, words[w - 1], words[w], allowDot: false) && Adjacent(text, tokens, words[w], words[w + 1], allowDot: false))
                    {
                        isName[w] = true;
                        changed = true;
                    }

                    continue;
                }

                var left = w > 0 && Adjacent(text, tokens, words[w - 1], words[w], allowDot: false)
                    && (isName[w - 1] || unknown[w - 1] || vocabulary.IsNameWord(Span(folded, tokens[words[w - 1]])));
                var right = w + 1 < count && Adjacent(text, tokens, words[w], words[w + 1], allowDot: false)
                    && (isName[w + 1] || unknown[w + 1] || vocabulary.IsNameWord(Span(folded, tokens[words[w + 1]])));
                if (left || right)
                {
                    isName[w] = true;
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private static void MarkAfterCue(string text, string folded, List<TextToken> tokens, List<int> words, int first, bool[] unknown, bool[] isName, AllowedVocabulary vocabulary, bool strong, bool allowNumber = false)
    {
        if (first >= words.Count || !Adjacent(text, tokens, words[first - 1], words[first], allowDot: false, allowColon: true, allowNumber: allowNumber))
        {
            return;
        }

        for (var w = first; w < words.Count && w < first + 3; w++)
        {
            if (w > first && !Adjacent(text, tokens, words[w - 1], words[w], allowDot: true))
            {
                return;
            }

            var span = Span(folded, tokens[words[w]]);
            if (AllowedVocabulary.IsFunctionWord(span) || vocabulary.IsDomainTerm(span) || IsTitle(folded, tokens, words[w]))
            {
                return;
            }

            var nameLike = LooksLikeName(text, folded, tokens, words, w, unknown, vocabulary);
            if (!nameLike && !(strong && w == first))
            {
                return;
            }

            isName[w] = true;
        }
    }

    private static bool LooksLikeName(string text, string folded, List<TextToken> tokens, List<int> words, int w, bool[] unknown, AllowedVocabulary vocabulary)
    {
        var token = tokens[words[w]];
        var span = Span(folded, token);
        return unknown[w] || vocabulary.IsNameWord(span) || (IsTitleCase(text, token) && !vocabulary.IsDomainTerm(span) && !AllowedVocabulary.IsFunctionWord(span)) || token.Length == 1;
    }

    /// <summary>
    /// Runs of two or more Title Case words inside a sentence are names (all but function words and domain terms), and so
    /// are the words of an ALL-CAPS run that holds an unknown word or a name ("REGARDS, BOA VISTA"); an all-caps
    /// sentence without either ("MY TOOTH HURTS") is left alone.
    /// </summary>
    private static void MarkCapitalizedRuns(string text, string folded, List<TextToken> tokens, List<int> words, bool[] unknown, bool[] isName, AllowedVocabulary vocabulary)
    {
        MarkTitleCaseRuns(text, folded, tokens, words, isName, vocabulary);
        var w = 0;
        while (w < words.Count)
        {
            if (!IsAllCaps(text, tokens[words[w]]))
            {
                w++;
                continue;
            }

            var end = w + 1;
            while (end < words.Count && IsAllCaps(text, tokens[words[end]]) && Adjacent(text, tokens, words[end - 1], words[end], allowDot: true, allowColon: true))
            {
                end++;
            }

            var evidence = false;
            for (var i = w; i < end; i++)
            {
                evidence |= unknown[i] || isName[i];
            }

            if (evidence && end - w >= 2)
            {
                for (var i = w; i < end; i++)
                {
                    var span = Span(folded, tokens[words[i]]);
                    if (!AllowedVocabulary.IsFunctionWord(span) && !vocabulary.IsDomainTerm(span) && !IsTitle(folded, tokens, words[i]))
                    {
                        isName[i] = true;
                    }
                }
            }

            w = end;
        }
    }

    /// <summary>Two or more letters, all upper case.</summary>
    private static bool IsAllCaps(string text, TextToken token)
    {
        if (token.Length < 2)
        {
            return false;
        }

        foreach (var c in text.AsSpan(token.Start, token.Length))
        {
            if (char.IsLower(c))
            {
                return false;
            }
        }

        return char.IsUpper(text[token.Start]);
    }

    private static void MarkTitleCaseRuns(string text, string folded, List<TextToken> tokens, List<int> words, bool[] isName, AllowedVocabulary vocabulary)
    {
        var w = 0;
        while (w < words.Count)
        {
            if (!IsTitleCase(text, tokens[words[w]]))
            {
                w++;
                continue;
            }

            var end = w + 1;
            while (end < words.Count && IsTitleCase(text, tokens[words[end]]) && Adjacent(text, tokens, words[end - 1], words[end], allowDot: true))
            {
                end++;
            }

            if (end - w >= 2)
            {
                for (var i = w; i < end; i++)
                {
                    var span = Span(folded, tokens[words[i]]);
                    if (!AllowedVocabulary.IsFunctionWord(span) && !vocabulary.IsDomainTerm(span) && !IsTitle(folded, tokens, words[i]) && span is not "i")
                    {
                        isName[i] = true;
                    }
                }
            }

            w = end;
        }
    }

    private static bool MatchesCue(string folded, List<TextToken> tokens, List<int> words, int w, string[][] cues, out int next)
    {
        foreach (var cue in cues)
        {
            if (w + cue.Length > words.Count)
            {
                continue;
            }

            var match = true;
            for (var i = 0; i < cue.Length && match; i++)
            {
                match = Span(folded, tokens[words[w + i]]).SequenceEqual(cue[i]);
            }

            if (match)
            {
                next = w + cue.Length;
                return true;
            }
        }

        next = -1;
        return false;
    }

    private static bool MatchesLabelCue(string folded, List<TextToken> tokens, List<int> words, int w, out int next)
    {
        next = w + 1;
        var token = tokens[words[w]];
        if (!IsOneOf(Span(folded, token), s_labelCues))
        {
            return false;
        }

        // The cue word must be followed by ':' or ',' (spaces allowed).
        for (var i = token.End; i < folded.Length; i++)
        {
            var c = folded[i];
            if (c is ':' or ',')
            {
                return true;
            }

            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Function words that are also first names, in Title Case ("Will", "May").</summary>
    private static bool IsFunctionName(string text, string folded, TextToken token) =>
        IsTitleCase(text, token) && Span(folded, token) is "will" or "may" or "don" or "art" or "bill";

    private static bool IsPlacePrefix(ReadOnlySpan<char> word) => IsOneOf(word, s_placePrefixes);

    private static bool IsParticle(ReadOnlySpan<char> word) => IsOneOf(word, s_particles);

    private static bool IsTitle(string folded, List<TextToken> tokens, int token) => IsOneOf(Span(folded, tokens[token]), s_titles);

    private static bool IsOneOf(ReadOnlySpan<char> word, string[] list)
    {
        foreach (var entry in list)
        {
            if (word.SequenceEqual(entry))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Two words with only white space between (no line break), or a dot and space after an initial or title; with
    /// <paramref name="allowColon"/>, a colon or comma too (after a cue); with <paramref name="allowNumber"/>, digits (a house number).
    /// </summary>
    private static bool Adjacent(string text, List<TextToken> tokens, int left, int right, bool allowDot, bool allowColon = false, bool allowNumber = false)
    {
        var between = text.AsSpan(tokens[left].End, tokens[right].Start - tokens[left].End);
        foreach (var c in between)
        {
            if (c is '\n' or '\r')
            {
                return false;
            }

            if (char.IsWhiteSpace(c) || (allowDot && c == '.') || (allowColon && c is ':' or ',') || (allowNumber && char.IsDigit(c)))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>First letter upper case and another letter lower case ("Rose", "McDonald"); all-caps words are not Title Case.</summary>
    internal static bool IsTitleCase(string text, TextToken token)
    {
        if (!char.IsUpper(text[token.Start]))
        {
            return false;
        }

        if (token.Length == 1)
        {
            return true;
        }

        foreach (var c in text.AsSpan(token.Start + 1, token.Length - 1))
        {
            if (char.IsLower(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first word of the text, of a line, or after '.', '!', '?', ':' or an opening quote or bracket.</summary>
    internal static bool IsSentenceStart(string text, List<TextToken> tokens, int token)
    {
        for (var i = token - 1; i >= 0; i--)
        {
            var previous = tokens[i];
            switch (previous.Kind)
            {
                case TextTokenKind.Space:
                    if (text.AsSpan(previous.Start, previous.Length).ContainsAny('\n', '\r'))
                    {
                        return true;
                    }

                    continue;
                case TextTokenKind.Punctuation:
                    var c = text[previous.Start];
                    return c is '.' or '!' or '?' or ':' or '"' or '(' or ';';
                case TextTokenKind.Other:
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Nothing but punctuation, symbols or a line break before the end of the text or the next sentence.</summary>
    private static bool EndsSentence(string text, List<TextToken> tokens, int token)
    {
        for (var i = token + 1; i < tokens.Count; i++)
        {
            var next = tokens[i];
            switch (next.Kind)
            {
                case TextTokenKind.Space:
                    if (text.AsSpan(next.Start, next.Length).ContainsAny('\n', '\r'))
                    {
                        return true;
                    }

                    continue;
                case TextTokenKind.Punctuation or TextTokenKind.Other:
                    if (text[next.Start] is '.' or '!' or '?' or ',' or ';' or ':')
                    {
                        return true;
                    }

                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> Span(string folded, TextToken token) => folded.AsSpan(token.Start, token.Length);
}
