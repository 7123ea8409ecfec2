using System.Collections.Frozen;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Practices;

/// <summary>
/// One practice (tenant) as the engine needs it: its id, its vertical, its pseudonym keys, its service area, the
/// domains of its sites (the only hosts besides the policy's own that a URL may name) and the values it adds to its
/// policy's value sets (its locations, say). Built once at start from configuration; never holds a write key.
/// </summary>
public sealed class PracticeContext
{
    public PracticeContext(
        string id,
        string vertical,
        PseudonymKeyRing keys,
        IEnumerable<string>? serviceAreaZips = null,
        IEnumerable<string>? domains = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? values = null,
        IReadOnlyDictionary<string, Destinations.PlatformAccount>? platforms = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(vertical);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.PracticeId != id)
        {
            throw new ArgumentException($"Practice '{id}' was given the pseudonym keys of practice '{keys.PracticeId}'.", nameof(keys));
        }

        Id = id;
        Vertical = vertical;
        Keys = keys;
        var zips = (serviceAreaZips ?? []).Select(z => z.Trim()).ToArray();
        ServiceAreaZip3 = zips.Where(z => z.Length == 3).ToFrozenSet(StringComparer.Ordinal);
        ServiceAreaZip5 = zips.Where(z => z.Length == 5).ToFrozenSet(StringComparer.Ordinal);
        Domains = (domains ?? []).Select(NormalizeHost).Where(d => d.Length > 0).ToFrozenSet(StringComparer.Ordinal);
        ValueSets = (values ?? new Dictionary<string, IReadOnlyList<string>>())
            .ToFrozenDictionary(v => v.Key, v => ValueSetEntries(v.Value), StringComparer.Ordinal);
        Platforms = (platforms ?? new Dictionary<string, Destinations.PlatformAccount>()).ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The practice's ad-platform accounts, by policy destination name (ids only, never tokens).</summary>
    public FrozenDictionary<string, Destinations.PlatformAccount> Platforms { get; }

    /// <summary>The practice id: an organization, not a person; safe in logs and audit records.</summary>
    public string Id { get; }

    /// <summary>The name of the vertical policy folder the practice's events go through.</summary>
    public string Vertical { get; }

    public PseudonymKeyRing Keys { get; }

    /// <summary>ZIP3 prefixes the practice serves (feeds the <c>in_service_area</c> feature).</summary>
    public FrozenSet<string> ServiceAreaZip3 { get; }

    /// <summary>Full ZIP codes the practice serves.</summary>
    public FrozenSet<string> ServiceAreaZip5 { get; }

    public bool HasServiceArea => ServiceAreaZip3.Count > 0 || ServiceAreaZip5.Count > 0;

    /// <summary>The practice's site hosts, lower case (each also allowed with a <c>www.</c> prefix).</summary>
    public FrozenSet<string> Domains { get; }

    /// <summary>Values the practice adds to its policy's value sets, by set name: folded value to the value as written.</summary>
    public FrozenDictionary<string, FrozenDictionary<string, string>> ValueSets { get; }

    /// <summary>True when <paramref name="host"/> (lower case) is one of the practice's domains or its <c>www.</c> form.</summary>
    public bool OwnsHost(string host) =>
        Domains.Contains(host) || (host.StartsWith("www.", StringComparison.Ordinal) && Domains.Contains(host[4..]));

    /// <summary>Lower case, no trailing dot.</summary>
    public static string NormalizeHost(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>A value set's entries keyed by <see cref="ValueKey"/>.</summary>
    public static FrozenDictionary<string, string> ValueSetEntries(IEnumerable<string> values)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            map.TryAdd(ValueKey(value), value);
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// How values are compared: folded (case and look-alike characters ignored), trimmed, and with spaces, underscores,
    /// hyphens and plus signs all read as one separator, so "Clear Aligners", "clear-aligners" and "clear_aligners" match.
    /// </summary>
    public static string ValueKey(string value)
    {
        var folded = TextNormalization.Fold(value.Trim());
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is ' ' or '_' or '+' ? '-' : source[i];
            }
        });
    }
}
