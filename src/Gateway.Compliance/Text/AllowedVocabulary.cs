namespace Gateway.Compliance.Text;

/// <summary>
/// The words free text may keep under one policy: the shipped English list (no proper names) plus the policy's domain
/// terms (its <c>vocabulary</c>). Built once per policy load. Lookups take
/// lower-case spans and allocate nothing.
/// </summary>
public sealed class AllowedVocabulary
{
    private readonly WordList _english;
    private readonly WordList _domain;

    public AllowedVocabulary(IEnumerable<string> domainTerms, WordList? english = null)
    {
        _english = english ?? WordList.English;
        _domain = new WordList(domainTerms.SelectMany(WordsOf));
    }

    /// <summary>English words only, no domain terms.</summary>
    public static AllowedVocabulary EnglishOnly { get; } = new([]);

    /// <summary>How many domain terms (single words) the policy adds.</summary>
    public int DomainTermCount => _domain.Count;

    /// <summary>True when <paramref name="word"/> (lower case) may be forwarded.</summary>
    public bool Allows(ReadOnlySpan<char> word) => _english.Contains(word) || _domain.Contains(word);

    public bool IsDomainTerm(ReadOnlySpan<char> word) => _domain.Contains(word);

    /// <summary>An allowed word that is also a name ("rose", "grace"), unless the policy lists it as a domain term.</summary>
    public bool IsNameWord(ReadOnlySpan<char> word) => WordList.NameWords.Contains(word) && !_domain.Contains(word);

    public static bool IsFunctionWord(ReadOnlySpan<char> word) => WordList.FunctionWords.Contains(word);

    /// <summary>The lower-case words of a term: "Root Canal" gives "root" and "canal"; "x-ray" gives "x-ray", "x" and "ray".</summary>
    public static IEnumerable<string> WordsOf(string term)
    {
        var folded = TextNormalization.Fold(term);
        foreach (var word in folded.Split([' ', '_', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            yield return word;
            if (word.Contains('-', StringComparison.Ordinal))
            {
                foreach (var part in word.Split('-', StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return part;
                }
            }
        }
    }
}
