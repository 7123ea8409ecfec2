using System.Buffers;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// An email address spelled out in words ("jane at example dot com"), unless the word after "at" is a function word
/// ("look at the dot com bubble").
/// </summary>
internal sealed class EmailInWordsDetector(SearchValues<string>? mayMatchOnlyWithWord)
    : RegexDetector("email", BuiltInPatterns.EmailInWords(), mayMatchOnlyWithWord: mayMatchOnlyWithWord)
{
    protected override bool Accept(ReadOnlySpan<char> candidate)
    {
        var words = candidate.ToString().ToLowerInvariant().Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "at");
        return at >= 0 && at + 1 < words.Length && !AllowedVocabulary.IsFunctionWord(words[at + 1].Split('.')[0]);
    }
}
