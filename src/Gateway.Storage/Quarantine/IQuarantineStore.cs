namespace Gateway.Storage.Quarantine;

/// <summary>Quarantined events, unique per (practice, message id): a retried invalid event is kept once.</summary>
public interface IQuarantineStore
{
    /// <summary>Stores the entry (or finds the existing one for the same message id) and returns its id.</summary>
    Task<long> AddAsync(QuarantineEntry entry, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QuarantineEntry>> ListAsync(string practiceId, CancellationToken cancellationToken = default);

    Task<QuarantineEntry?> GetAsync(string practiceId, long id, CancellationToken cancellationToken = default);

    Task MarkReplayedAsync(long id, DateTimeOffset at, string outcome, CancellationToken cancellationToken = default);

    /// <summary>Deletes entries past their retention; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
