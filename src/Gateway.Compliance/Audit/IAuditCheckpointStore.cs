namespace Gateway.Compliance.Audit;

/// <summary>
/// Where signed checkpoints are kept: apart from the audit files (another folder, volume or database),
/// so that whoever can rewrite the audit files cannot also remove the checkpoints that contradict them.
/// </summary>
public interface IAuditCheckpointStore
{
    /// <summary>Appends a checkpoint; completes once it is durable.</summary>
    Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>The latest checkpoint of <paramref name="instance"/>, or null when it has none.</summary>
    Task<AuditCheckpoint?> GetLatestAsync(string instance, CancellationToken cancellationToken = default);

    /// <summary>Every checkpoint stored, in store order, with where each is, and anything that could not be read.</summary>
    Task<AuditCheckpointSet> ReadAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>A checkpoint and where it is stored (file and 1-based line, or a table and row id).</summary>
public sealed record StoredCheckpoint(AuditCheckpoint Checkpoint, string Source, long Line);

/// <summary>The checkpoints a store holds, and its unreadable entries (reported as problems, never skipped silently).</summary>
public sealed record AuditCheckpointSet(IReadOnlyList<StoredCheckpoint> Checkpoints, IReadOnlyList<AuditProblem> Problems);
