namespace Gateway.Compliance.Pseudonyms;

/// <summary>
/// A practice's pseudonym keys: one active key that makes new pseudonyms, and the retired ones, kept so
/// that a compliance officer can still find records made before a rotation.
/// </summary>
public sealed class PseudonymKeyRing : IDisposable
{
    public PseudonymKeyRing(PseudonymKey active, IEnumerable<PseudonymKey>? retired = null)
    {
        ArgumentNullException.ThrowIfNull(active);
        if (active.Derivation != PseudonymDerivation.PracticeScoped)
        {
            throw new ArgumentException($"Pseudonym key '{active.Id}' is unscoped; only a retired key may be. Make a new key id the active one.", nameof(active));
        }

        Active = active;
        var all = new List<PseudonymKey> { active };
        foreach (var key in retired ?? [])
        {
            if (all.Any(k => k.Id == key.Id))
            {
                throw new ArgumentException($"Pseudonym key id '{key.Id}' appears twice in one key ring.", nameof(retired));
            }

            if (key.PracticeId != active.PracticeId)
            {
                throw new ArgumentException($"Pseudonym key '{key.Id}' belongs to practice '{key.PracticeId}', not '{active.PracticeId}'.", nameof(retired));
            }

            all.Add(key);
        }

        All = all;
    }

    /// <summary>The key that makes every new pseudonym.</summary>
    public PseudonymKey Active { get; }

    /// <summary>The practice the ring's keys belong to.</summary>
    public string PracticeId => Active.PracticeId;

    /// <summary>The active key first, then retired keys.</summary>
    public IReadOnlyList<PseudonymKey> All { get; }

    public void Dispose()
    {
        foreach (var key in All)
        {
            key.Dispose();
        }
    }
}
