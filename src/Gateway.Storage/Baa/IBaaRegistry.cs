using Gateway.Compliance.Baa;

namespace Gateway.Storage.Baa;

/// <summary>The append-only BAA registry, per practice and destination. The current agreement is the latest record.</summary>
public interface IBaaRegistry
{
    Task<BaaRecord> AppendAsync(BaaRecord record, CancellationToken cancellationToken = default);

    /// <summary>The latest record per destination of a practice.</summary>
    Task<IReadOnlyList<BaaRecord>> CurrentAsync(string practiceId, CancellationToken cancellationToken = default);

    /// <summary>Every record of a practice, oldest first.</summary>
    Task<IReadOnlyList<BaaRecord>> HistoryAsync(string practiceId, CancellationToken cancellationToken = default);
}
