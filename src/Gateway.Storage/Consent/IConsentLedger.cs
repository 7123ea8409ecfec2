using Gateway.Compliance.Consent;

namespace Gateway.Storage.Consent;

/// <summary>
/// The append-only consent ledger. Records are never updated or deleted; the current state is the latest
/// record per subject and purpose. Every read consults the store (the gateway's <see cref="CachedConsentLedger"/>
/// reads the practice's change feed and only the subjects that are not cached), so a revocation recorded through any
/// gateway instance applies to the next event on every instance.
/// </summary>
public interface IConsentLedger
{
    /// <summary>Appends records in one transaction; returns them with their ledger ids.</summary>
    Task<IReadOnlyList<ConsentRecord>> AppendAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The latest record per (subject, purpose) for the given subjects.</summary>
    Task<IReadOnlyList<ConsentRecord>> CurrentAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default);

    /// <summary>Every record of the given subjects, oldest first (for compliance officers).</summary>
    Task<IReadOnlyList<ConsentRecord>> HistoryAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default);
}
