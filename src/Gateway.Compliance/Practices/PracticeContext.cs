using System.Collections.Frozen;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Compliance.Practices;

/// <summary>
/// One practice (tenant) as the engine needs it: its id, its vertical, its pseudonym keys and its
/// service area. Built once at start from configuration; never holds a write key.
/// </summary>
public sealed class PracticeContext
{
    public PracticeContext(string id, string vertical, PseudonymKeyRing keys, IEnumerable<string>? serviceAreaZips = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(vertical);
        Id = id;
        Vertical = vertical;
        Keys = keys;
        var zips = (serviceAreaZips ?? []).Select(z => z.Trim()).ToArray();
        ServiceAreaZip3 = zips.Where(z => z.Length == 3).ToFrozenSet(StringComparer.Ordinal);
        ServiceAreaZip5 = zips.Where(z => z.Length == 5).ToFrozenSet(StringComparer.Ordinal);
    }

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
}
