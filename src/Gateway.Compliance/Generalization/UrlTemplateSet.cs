using System.Globalization;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Generalization;

/// <summary>
/// A policy's site path templates (<c>/services/{service_line}</c>, <c>/blog/{words}</c>) as a trie. A segment is a
/// literal (matched ignoring case) or a variable: a value set of the policy, <c>{words}</c> (harmless words of the
/// vocabulary joined by <c>-</c>), <c>{year}</c> (1900-2100) or <c>{page}</c> (one to three digits). Built once per policy load.
/// </summary>
public sealed class UrlTemplateSet
{
    /// <summary>The variables every policy has, besides its value sets.</summary>
    public static readonly string[] BuiltInVariables = ["words", "year", "page"];

    private readonly Node _root = new();
    private readonly FreeTextScrubber _words;

    private UrlTemplateSet(FreeTextScrubber words)
    {
        _words = words;
    }

    /// <summary>No templates: every path becomes <c>/:redacted</c>.</summary>
    public static UrlTemplateSet Empty { get; } = new(new FreeTextScrubber([], AllowedVocabulary.EnglishOnly));

    public int Count { get; private set; }

    /// <summary>Compiles <paramref name="templates"/>; a problem is reported (with the template's position) and the template skipped.</summary>
    public static UrlTemplateSet Build(IEnumerable<string> templates, IReadOnlyDictionary<string, ValueSet> sets, FreeTextScrubber words, Action<int, string> error)
    {
        var result = new UrlTemplateSet(words);
        var position = 0;
        foreach (var template in templates)
        {
            if (result.TryAdd(template, sets, out var problem))
            {
                result.Count++;
            }
            else
            {
                error(position, problem!);
            }

            position++;
        }

        return result;
    }

    private bool TryAdd(string template, IReadOnlyDictionary<string, ValueSet> sets, out string? problem)
    {
        problem = null;
        if (!template.StartsWith('/'))
        {
            problem = "a path template starts with '/'";
            return false;
        }

        var node = _root;
        var segments = template.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0)
            {
                if (i == segments.Length - 1)
                {
                    break;
                }

                problem = "a path template has an empty segment ('//')";
                return false;
            }

            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                var name = segment[1..^1];
                Variable variable;
                if (sets.TryGetValue(name, out var set))
                {
                    variable = new Variable(VariableKind.Set, name, set);
                }
                else if (Enum.TryParse<VariableKind>(name, ignoreCase: false, out var kind) && kind != VariableKind.Set && BuiltInVariables.Contains(name))
                {
                    variable = new Variable(kind, name, null);
                }
                else
                {
                    problem = $"'{{{name}}}' names no value set of the policy and no built-in variable ({string.Join(", ", BuiltInVariables)})";
                    return false;
                }

                node = node.Variable(variable);
                continue;
            }

            if (!segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') || segment is "." or "..")
            {
                problem = $"the literal segment '{segment}' may hold only letters, digits and - _ . ~";
                return false;
            }

            node = node.Literal(segment);
        }

        return true;
    }

    /// <summary>
    /// Appends to <paramref name="output"/> the longest prefix of <paramref name="segments"/> (decoded, matrix parameters
    /// removed; null for one that could not be decoded) that the templates match, each segment as the template writes it,
    /// and <c>/:redacted</c> in place of everything after it.
    /// </summary>
    internal void Match(IReadOnlyList<string?> segments, bool trailingSlash, PracticeContext practice, System.Text.StringBuilder output)
    {
        var node = _root;
        foreach (var segment in segments)
        {
            var matched = segment is null ? null : node.Match(segment, practice, _words, out var written) is { } next ? (next, written) : ((Node, string)?)null;
            if (matched is not { } m)
            {
                output.Append('/').Append(UrlGeneralizer.RedactedSegment);
                return;
            }

            output.Append('/').Append(m.Item2);
            node = m.Item1;
        }

        if (trailingSlash || output.Length == 0)
        {
            output.Append('/');
        }
    }

    private enum VariableKind
    {
        Set,
        words,
        year,
        page,
    }

    private sealed record Variable(VariableKind Kind, string Name, ValueSet? Set);

    private sealed class Node
    {
        private readonly Dictionary<string, (string Written, Node Next)> _literals = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<(Variable Variable, Node Next)> _variables = [];

        public Node Literal(string segment)
        {
            if (!_literals.TryGetValue(segment, out var entry))
            {
                entry = (segment, new Node());
                _literals[segment] = entry;
            }

            return entry.Next;
        }

        public Node Variable(Variable variable)
        {
            foreach (var (existing, next) in _variables)
            {
                if (existing == variable)
                {
                    return next;
                }
            }

            var node = new Node();
            _variables.Add((variable, node));
            return node;
        }

        public Node? Match(string segment, PracticeContext practice, FreeTextScrubber words, out string written)
        {
            if (_literals.TryGetValue(segment, out var literal))
            {
                written = literal.Written;
                return literal.Next;
            }

            foreach (var (variable, next) in _variables)
            {
                if (TryMatch(variable, segment, practice, words, out written))
                {
                    return next;
                }
            }

            written = string.Empty;
            return null;
        }

        private static bool TryMatch(Variable variable, string segment, PracticeContext practice, FreeTextScrubber words, out string written)
        {
            written = string.Empty;
            switch (variable.Kind)
            {
                case VariableKind.Set:
                    if (variable.Set!.TryMatch(segment, practice, out var listed))
                    {
                        written = PracticeContext.ValueKey(listed);
                        return true;
                    }

                    return false;
                case VariableKind.year:
                    if (segment.Length == 4 && segment.All(char.IsAsciiDigit) && int.Parse(segment, CultureInfo.InvariantCulture) is >= 1900 and <= 2100)
                    {
                        written = segment;
                        return true;
                    }

                    return false;
                case VariableKind.page:
                    if (segment.Length is >= 1 and <= 3 && segment.All(char.IsAsciiDigit))
                    {
                        written = segment;
                        return true;
                    }

                    return false;
                default:
                    return TryMatchWords(segment, words, out written);
            }
        }

        /// <summary>One to twelve words of letters, joined by - _ + . ~ or spaces, that the scrubber would forward unchanged.</summary>
        private static bool TryMatchWords(string segment, FreeTextScrubber words, out string written)
        {
            written = string.Empty;
            var parts = segment.Split(['-', '_', '+', '.', '~', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 12 || parts.Any(p => !p.All(char.IsLetter)))
            {
                return false;
            }

            var lower = string.Join(' ', parts).ToLowerInvariant();
            if (!words.IsHarmless(lower))
            {
                return false;
            }

            written = lower.Replace(' ', '-');
            return true;
        }
    }
}
