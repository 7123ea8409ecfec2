namespace Gateway.Storage.Outbox;

/// <summary>
/// A scrubbed event waiting for its destination. Only scrubbed bytes are stored: raw PHI never reaches
/// the outbox. Unique per (practice, destination, message id), so a retried request never queues twice.
/// </summary>
public sealed record OutboxEntry
{
    public long Id { get; init; }

    public required string PracticeId { get; init; }

    public required string Destination { get; init; }

    public required string Cluster { get; init; }

    public string? Subject { get; init; }

    public required string MessageId { get; init; }

    public required string PolicyName { get; init; }

    public required string PolicyVersion { get; init; }

    public required string PolicySha256 { get; init; }

    /// <summary>The scrubbed event, exactly as it would have been forwarded.</summary>
    public required byte[] Event { get; init; }

    public required DateTimeOffset EnqueuedAt { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public string? LastError { get; init; }
}

/// <summary>An event that could not be delivered in time or was refused for good, kept for inspection and replay.</summary>
public sealed record DeadLetter(OutboxEntry Entry, string Reason, DateTimeOffset DeadAt);

/// <summary>How many events wait for one destination of one practice, and since when the oldest of them waits.</summary>
public readonly record struct PendingCount(string PracticeId, string Destination, long Count, DateTimeOffset? OldestEnqueuedAt = null);
