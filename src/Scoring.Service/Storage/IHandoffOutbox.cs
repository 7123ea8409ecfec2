namespace Scoring.Service.Storage;

/// <summary>
/// The durable outbox of hand-offs, in the scoring service's database: messages are queued in the transaction that
/// records the stage change (or, for SLA breaches, by the worker), claimed for delivery with a lease (so several
/// instances never send one at once), and retried with backoff until delivered or given up.
/// </summary>
internal interface IHandoffOutbox
{
    /// <summary>Queues a message unless one with the same destination and idempotency key exists; true if queued.</summary>
    Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="limit"/> messages due at <paramref name="now"/>, leased until <paramref name="leaseUntil"/>.</summary>
    Task<IReadOnlyList<OutboxDelivery>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    Task MarkDeliveredAsync(long id, DateTimeOffset at, string status, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: retried at <paramref name="nextAttemptAt"/>, or given up when it is null.</summary>
    Task MarkFailedAsync(long id, DateTimeOffset at, DateTimeOffset? nextAttemptAt, string status, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxStatus>> ListAsync(string? practice, CancellationToken cancellationToken);
}
