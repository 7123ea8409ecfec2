using System.Buffers;
using System.Text.RegularExpressions;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// A street named without a house number ("Oak Hollow", "lives on maple street"): the pattern's words before the
/// street type, unless every one of them is a function word ("down the road", "The Street").
/// </summary>
internal sealed class StreetNameDetector(Regex regex, SearchValues<char>? mayMatchOnlyWith = null, SearchValues<string>? mayMatchOnlyWithWord = null)
    : RegexDetector("street-address", regex, mayMatchOnlyWith: mayMatchOnlyWith, mayMatchOnlyWithWord: mayMatchOnlyWithWord)
{
    protected override bool Accept(ReadOnlySpan<char> candidate)
    {
        var words = candidate.Trim().ToString().Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length - 1; i++)
        {
            var word = words[i].TrimEnd('.').ToLowerInvariant();
            if (word is not "st" && !AllowedVocabulary.IsFunctionWord(word))
            {
                return true;
            }
        }

        return false;
    }
}
