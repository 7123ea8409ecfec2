using System.Collections.Frozen;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Generalization;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Policies;

/// <summary>
/// What a policy allows inside values, compiled once per load: the vocabulary free text may keep (English plus the
/// policy's <c>vocabulary</c>), the value sets, the site path templates and
/// the external hosts a URL may name. Operators read it; nothing in it changes per event.
/// </summary>
public sealed class PolicyAllowLists
{
    private PolicyAllowLists(AllowedVocabulary vocabulary, FreeTextScrubber text, FrozenDictionary<string, ValueSet> valueSets, UrlTemplateSet templates, FrozenSet<string> hosts)
    {
        Vocabulary = vocabulary;
        Text = text;
        ValueSets = valueSets;
        UrlTemplates = templates;
        Hosts = hosts;
    }

    /// <summary>English words only, no value sets, templates or hosts (every URL path becomes <c>/:redacted</c>).</summary>
    public static PolicyAllowLists Empty { get; } = new(
        AllowedVocabulary.EnglishOnly,
        new FreeTextScrubber(TextDetectorRegistry.Default.All, AllowedVocabulary.EnglishOnly),
        FrozenDictionary<string, ValueSet>.Empty,
        UrlTemplateSet.Empty,
        FrozenSet<string>.Empty);

    public AllowedVocabulary Vocabulary { get; }

    /// <summary>The free-text scrubber with every detector and this vocabulary: what the <c>text</c> and <c>code</c> guards and <c>{words}</c> check against.</summary>
    public FreeTextScrubber Text { get; }

    public FrozenDictionary<string, ValueSet> ValueSets { get; }

    public UrlTemplateSet UrlTemplates { get; }

    /// <summary>Hosts besides each practice's own domains that a URL may name, lower case.</summary>
    public FrozenSet<string> Hosts { get; }

    /// <summary>Compiles the allow-lists of <paramref name="definition"/>; each problem is reported through <paramref name="error"/> (and the offending entry left out).</summary>
    public static PolicyAllowLists Build(PolicyDefinition definition, TextDetectorRegistry detectors, Action<SourceLocation, string, string> error)
    {
        var sets = new Dictionary<string, ValueSet>(StringComparer.Ordinal);
        foreach (var set in definition.ValueSets)
        {
            if (!IsSetName(set.Name))
            {
                error(set.Location, $"values.{set.Name}", "a value set's name is lower case letters, digits and '_', starting with a letter");
                continue;
            }

            if (UrlTemplateSet.BuiltInVariables.Contains(set.Name))
            {
                error(set.Location, $"values.{set.Name}", $"'{set.Name}' is a built-in URL variable; give the set another name");
                continue;
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in set.Values)
            {
                if (string.IsNullOrWhiteSpace(value) || !keys.Add(PracticeContext.ValueKey(value)))
                {
                    error(set.Location, $"values.{set.Name}", "values are non-empty and distinct (ignoring case and separators)");
                    break;
                }
            }

            sets[set.Name] = new ValueSet(set.Name, set.Values);
        }

        // Value sets are not words free text may keep: a state's name can be a person's ("Georgia"), an OS's a surname.
        var vocabulary = new AllowedVocabulary(definition.Vocabulary);
        var text = new FreeTextScrubber(detectors.All, vocabulary);
        var frozenSets = sets.ToFrozenDictionary(StringComparer.Ordinal);
        var templates = UrlTemplateSet.Build(definition.Urls.Paths.Select(p => p.Template), frozenSets, text,
            (index, problem) => error(definition.Urls.Paths[index].Location, $"urls.paths[{index}]", problem));
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Urls.Hosts.Count; i++)
        {
            var (host, location) = definition.Urls.Hosts[i];
            var normalized = PracticeContext.NormalizeHost(host);
            if (!IsHostName(normalized))
            {
                error(location, $"urls.hosts[{i}]", "a host is a DNS name such as www.google.com (never an IP address, a port or a path)");
                continue;
            }

            hosts.Add(normalized);
        }

        return new PolicyAllowLists(vocabulary, text, frozenSets, templates, hosts.ToFrozenSet(StringComparer.Ordinal));
    }

    private static bool IsSetName(string name) =>
        name.Length is > 0 and <= 63 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>Labels of letters, digits and hyphens separated by dots, with at least one dot, and not an address literal.</summary>
    public static bool IsHostName(string host) =>
        host.Length is > 0 and <= 253 && host.Contains('.', StringComparison.Ordinal) && !UrlGeneralizer.IsAddressLiteral(host)
        && host.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-');
}
