namespace Gateway.Compliance.Audit;

/// <summary>
/// When the gateway signs its chain head: every <see cref="EveryRecords"/> records or every
/// <see cref="Every"/>, whichever comes first, and once more at shutdown. The gap bounds how many records
/// at the end of the chain could be cut off without a signed checkpoint showing it.
/// </summary>
public sealed record CheckpointPolicy
{
    public const long DefaultEveryRecords = 10_000;

    public static readonly TimeSpan DefaultEvery = TimeSpan.FromSeconds(60);

    /// <summary>Sign after this many new records (at least 1).</summary>
    public long EveryRecords { get; init; } = DefaultEveryRecords;

    /// <summary>Sign when this much time has passed since the last checkpoint and the chain has grown.</summary>
    public TimeSpan Every { get; init; } = DefaultEvery;

    /// <summary>True when a checkpoint is due: the chain grew and either threshold is reached.</summary>
    public bool IsDue(long recordsSinceLast, TimeSpan sinceLast) =>
        recordsSinceLast > 0 && (recordsSinceLast >= EveryRecords || sinceLast >= Every);
}
