using System.Text.RegularExpressions;

namespace Gateway.Compliance.Detectors;

/// <summary>A detector backed by one compiled regular expression, with an optional check on each match.</summary>
public class RegexDetector : ITextDetector
{
    private readonly Regex _regex;
    private readonly string _group;

    public RegexDetector(string name, Regex regex, string group = "0")
    {
        Name = name;
        _regex = regex;
        _group = group;
    }

    public string Name { get; }

    public void Detect(string text, List<TextMatch> matches)
    {
        foreach (Match match in _regex.Matches(text))
        {
            var group = match.Groups[_group];
            if (group.Success && group.Length > 0 && Accept(text.AsSpan(group.Index, group.Length)))
            {
                matches.Add(new TextMatch(group.Index, group.Length, Name));
            }
        }
    }

    /// <summary>Override to reject a regex match (e.g. a card number failing Luhn).</summary>
    protected virtual bool Accept(ReadOnlySpan<char> candidate) => true;
}
