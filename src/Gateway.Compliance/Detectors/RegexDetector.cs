using System.Buffers;
using System.Text.RegularExpressions;

namespace Gateway.Compliance.Detectors;

/// <summary>A detector backed by one compiled regular expression, with an optional check on each match.</summary>
public class RegexDetector : ITextDetector
{
    private readonly Regex _regex;
    private readonly string _group;
    private readonly bool _overlapping;
    private readonly SearchValues<char>? _mayMatchOnlyWith;
    private readonly SearchValues<string>? _mayMatchOnlyWithWord;

    /// <param name="overlapping">Search again one character after each match's start, so a match can
    /// begin inside the previous one (needed when a match may swallow the cue of the next).</param>
    /// <param name="mayMatchOnlyWith">A necessary condition read off the pattern: no match is possible in a text
    /// without one of these characters, so the pattern is not run on such text (most short free text, such as
    /// campaign names). Null: always run.</param>
    /// <param name="mayMatchOnlyWithWord">The same, for patterns that need a word (" at ", "street") rather than a character.</param>
    public RegexDetector(string name, Regex regex, string group = "0", bool overlapping = false, SearchValues<char>? mayMatchOnlyWith = null, SearchValues<string>? mayMatchOnlyWithWord = null)
    {
        _mayMatchOnlyWithWord = mayMatchOnlyWithWord;
        Name = name;
        _regex = regex;
        _group = group;
        _overlapping = overlapping;
        _mayMatchOnlyWith = mayMatchOnlyWith;
    }

    public string Name { get; }

    public void Detect(string text, List<TextMatch> matches)
    {
        if ((_mayMatchOnlyWith is not null && text.AsSpan().IndexOfAny(_mayMatchOnlyWith) < 0)
            || (_mayMatchOnlyWithWord is not null && text.AsSpan().IndexOfAny(_mayMatchOnlyWithWord) < 0))
        {
            return;
        }

        if (_group == "0" && !_overlapping)
        {
            // The same matches as Match/NextMatch, without a Match object per match.
            foreach (var found in _regex.EnumerateMatches(text))
            {
                if (found.Length > 0 && Accept(text.AsSpan(found.Index, found.Length)))
                {
                    matches.Add(new TextMatch(found.Index, found.Length, Name));
                }
            }

            return;
        }

        var match = _regex.Match(text);
        while (match.Success)
        {
            var group = match.Groups[_group];
            if (group.Success && group.Length > 0 && Accept(text.AsSpan(group.Index, group.Length)))
            {
                matches.Add(new TextMatch(group.Index, group.Length, Name));
            }

            if (!_overlapping)
            {
                match = match.NextMatch();
            }
            else if (match.Index + 1 < text.Length)
            {
                match = _regex.Match(text, match.Index + 1);
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>Override to reject a regex match (e.g. a card number failing Luhn).</summary>
    protected virtual bool Accept(ReadOnlySpan<char> candidate) => true;
}
