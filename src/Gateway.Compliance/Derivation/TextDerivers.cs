using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Text;
using Newtonsoft.Json.Linq;

namespace Gateway.Compliance.Derivation;

/// <summary>
/// <c>mentions</c>: which of the rule's terms a free text mentions, as a sorted list of those terms (never the text).
/// Option <c>terms</c>: a list of words, or a map from a term to the words that mention it
/// (<c>pain: [pain, painful, ache, hurts]</c>). A word matches ignoring case and look-alike characters, in the
/// singular or with a plural <c>s</c>/<c>es</c>. Lets scoring use a note's signal without the note being forwarded.
/// </summary>
public sealed class MentionsDeriver : IConfigurableFeatureDeriver
{
    private readonly FrozenDictionary<string, string> _wordToTerm;

    public MentionsDeriver()
        : this(FrozenDictionary<string, string>.Empty)
    {
    }

    private MentionsDeriver(FrozenDictionary<string, string> wordToTerm)
    {
        _wordToTerm = wordToTerm;
    }

    public string Name => "mentions";

    public IFeatureDeriver Configure(JObject options, ICollection<string> errors)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (options["terms"])
        {
            case JArray list when list.Count > 0 && list.All(t => t.Type == JTokenType.String):
                foreach (var term in list.Select(t => (string)t!))
                {
                    map.TryAdd(TextNormalization.Fold(term), term);
                }

                break;
            case JObject groups when groups.Count > 0:
                foreach (var group in groups.Properties())
                {
                    if (group.Value is not JArray words || words.Count == 0 || words.Any(t => t.Type != JTokenType.String))
                    {
                        errors.Add($"mentions: the words of term '{group.Name}' must be a non-empty list of strings");
                        continue;
                    }

                    map.TryAdd(TextNormalization.Fold(group.Name), group.Name);
                    foreach (var word in words.Select(t => (string)t!))
                    {
                        map.TryAdd(TextNormalization.Fold(word), group.Name);
                    }
                }

                break;
            default:
                errors.Add("mentions needs option 'terms': a list of words, or a map from a term to its words");
                break;
        }

        foreach (var key in options.Properties().Select(p => p.Name).Where(n => n != "terms"))
        {
            errors.Add($"mentions takes no option '{key}'");
        }

        return new MentionsDeriver(map.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = default;
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var found = new SortedSet<string>(StringComparer.Ordinal);
        var lookup = _wordToTerm.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var word in Words(TextNormalization.Fold(value.GetString()!)))
        {
            if (lookup.TryGetValue(word, out var term)
                || (word.EndsWith("es", StringComparison.Ordinal) && lookup.TryGetValue(word.AsSpan(0, word.Length - 2), out term))
                || (word.EndsWith('s') && lookup.TryGetValue(word.AsSpan(0, word.Length - 1), out term)))
            {
                found.Add(term);
            }
        }

        result = DerivedValue.Of([.. found]);
        return true;
    }

    internal static IEnumerable<string> Words(string folded)
    {
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var letter = i < folded.Length && (char.IsLetter(folded[i]) || (folded[i] is '\'' or '-' && start >= 0));
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                yield return folded[start..i].Trim('\'', '-');
                start = -1;
            }
        }
    }
}

/// <summary>
/// <c>length_band</c>: how long a free text is, in words (runs of letters or digits), as a band (<c>0</c>, <c>1-10</c>, <c>11-50</c>, <c>51+</c> by
/// default). Option <c>bounds</c>: ascending word counts that start each band after the first.
/// </summary>
public sealed class LengthBandDeriver : IConfigurableFeatureDeriver
{
    private static readonly int[] s_defaultBounds = [1, 11, 51];
    private readonly int[] _bounds;

    public LengthBandDeriver()
        : this(s_defaultBounds)
    {
    }

    private LengthBandDeriver(int[] bounds)
    {
        _bounds = bounds;
    }

    public string Name => "length_band";

    public IFeatureDeriver Configure(JObject options, ICollection<string> errors)
    {
        var bounds = s_defaultBounds;
        if (options["bounds"] is { } token)
        {
            if (token is JArray array && array.Count > 0 && array.All(t => t.Type == JTokenType.Integer && (int)t >= 1)
                && array.Select(t => (int)t).Zip(array.Select(t => (int)t).Skip(1)).All(p => p.First < p.Second))
            {
                bounds = [.. array.Select(t => (int)t)];
            }
            else
            {
                errors.Add("length_band: option 'bounds' must be ascending whole numbers of at least 1");
            }
        }

        foreach (var key in options.Properties().Select(p => p.Name).Where(n => n != "bounds"))
        {
            errors.Add($"length_band takes no option '{key}'");
        }

        return new LengthBandDeriver(bounds);
    }

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = default;
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var words = 0;
        var inWord = false;
        foreach (var c in value.GetString()!)
        {
            var part = char.IsLetterOrDigit(c);
            words += part && !inWord ? 1 : 0;
            inWord = part;
        }

        result = DerivedValue.Of(Band(words));
        return true;
    }

    private string Band(int words)
    {
        if (words < _bounds[0])
        {
            return _bounds[0] == 1 ? "0" : string.Create(CultureInfo.InvariantCulture, $"0-{_bounds[0] - 1}");
        }

        for (var i = 0; i < _bounds.Length - 1; i++)
        {
            if (words < _bounds[i + 1])
            {
                return string.Create(CultureInfo.InvariantCulture, $"{_bounds[i]}-{_bounds[i + 1] - 1}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{_bounds[^1]}+");
    }
}
