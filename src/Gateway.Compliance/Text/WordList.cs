using System.Collections.Frozen;
using System.Reflection;

namespace Gateway.Compliance.Text;

/// <summary>
/// A set of lower-case words looked up by span, so checking a token allocates nothing. The shipped lists
/// (<see cref="English"/>, <see cref="NameWords"/>) are embedded resources read once; see
/// <c>Text/Vocabulary/README.md</c> for their sources and licences.
/// </summary>
public sealed class WordList
{
    private static readonly Lazy<WordList> s_english = new(() => FromResource("english-words.txt"));
    private static readonly Lazy<WordList> s_nameWords = new(() => FromResource("name-words.txt"));
    private static readonly Lazy<WordList> s_functionWords = new(() => FromResource("function-words.txt"));

    private readonly FrozenSet<string> _words;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordList(IEnumerable<string> words)
    {
        _words = words.Select(w => w.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);
        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Common English words that are not names (with the most common words kept even when they are).</summary>
    public static WordList English => s_english.Value;

    /// <summary>The words of <see cref="English"/> that are also person or place names ("rose", "grace", "white").</summary>
    public static WordList NameWords => s_nameWords.Value;

    /// <summary>Words that glue sentences together ("the", "and", "will", "my"): never a name, and they end a name after a cue.</summary>
    public static WordList FunctionWords => s_functionWords.Value;

    public static WordList Empty { get; } = new([]);

    public int Count => _words.Count;

    /// <summary>True when the lower-case <paramref name="word"/> is in the list.</summary>
    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);

    private static WordList FromResource(string name)
    {
        using var stream = typeof(WordList).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded word list '{name}' is missing from {typeof(WordList).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var words = new List<string>(40_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                words.Add(line);
            }
        }

        return new WordList(words);
    }
}
