namespace Gateway.Compliance.Consent;

/// <summary>
/// The current consent of one person, derived from the ledger: for each purpose, the latest record across
/// every id the person's events carry (userId and anonymousId pseudonyms). Latest means last appended.
/// </summary>
public sealed class ConsentState
{
    private readonly Dictionary<string, ConsentRecord> _latest = new(StringComparer.Ordinal);

    public ConsentState(IEnumerable<ConsentRecord> records)
    {
        foreach (var record in records)
        {
            Apply(record);
        }
    }

    /// <summary>Folds a newer record into the state (used right after appending one).</summary>
    public void Apply(ConsentRecord record)
    {
        if (!_latest.TryGetValue(record.Purpose, out var current) || record.Id > current.Id)
        {
            _latest[record.Purpose] = record;
        }
    }

    /// <summary>The latest record of every purpose.</summary>
    public IEnumerable<ConsentRecord> All => _latest.Values;

    /// <summary>The latest record for a purpose, or null when the person never decided.</summary>
    public ConsentRecord? Latest(string purpose) => _latest.GetValueOrDefault(purpose);

    /// <summary>
    /// Checks the purposes a destination needs. Returns the missing ones and the records the decision
    /// relied on (the grants, or the revocations/expired grants that made a purpose missing).
    /// </summary>
    public (IReadOnlyList<string> Missing, IReadOnlyList<long> Basis) Check(IReadOnlyList<string> purposes, DateTimeOffset now)
    {
        var missing = new List<string>();
        var basis = new List<long>();
        foreach (var purpose in purposes)
        {
            var record = Latest(purpose);
            if (record is not null)
            {
                basis.Add(record.Id);
            }

            if (record is null || !record.GrantsAt(now))
            {
                missing.Add(purpose);
            }
        }

        return (missing, basis);
    }
}
