namespace Gateway.Storage.Outbox;

/// <summary>
/// The durable outbox: events the destination could not take yet, delivered later in order per practice
/// and destination. Dead letters hold what could not be delivered in time or was refused for good.
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// Queues entries durably (committed and synced before returning) and returns those this call queued, with their ids.
    /// Entries already queued are ignored (and not returned). With a <paramref name="claim"/>, the new entries are held by
    /// it: an in-flight direct forward that a crash leaves to the delivery worker once the claim expires.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> EnqueueAsync(IReadOnlyList<OutboxEntry> entries, OutboxClaim? claim = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the next batch to deliver: the oldest waiting entries of one (practice, destination), if the
    /// first of them is due. Claims expire after <paramref name="lease"/> so a crashed worker's batch is retried.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> ClaimAsync(string worker, DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes delivered entries. With a <paramref name="receipt"/>, each delivery is kept (same id) in the same transaction
    /// until <see cref="DeliveriesRecordedAsync"/> says its audit record is durable.
    /// </summary>
    Task CompleteAsync(IReadOnlyList<long> ids, DeliveryReceipt? receipt = null, CancellationToken cancellationToken = default);

    /// <summary>Deliveries made by <paramref name="instance"/> whose audit records were not confirmed durable, oldest first.</summary>
    Task<IReadOnlyList<DeliveredEntry>> UnrecordedDeliveriesAsync(string instance, CancellationToken cancellationToken = default);

    /// <summary>Forgets deliveries whose audit records are durable.</summary>
    Task DeliveriesRecordedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Counts an attempt, records the error and releases the claim until <paramref name="next"/>.</summary>
    Task RescheduleAsync(IReadOnlyList<long> ids, DateTimeOffset next, string error, CancellationToken cancellationToken = default);

    /// <summary>Moves entries to the dead letters.</summary>
    Task DeadLetterAsync(IReadOnlyList<long> ids, string reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PendingCount>> PendingAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string practiceId, CancellationToken cancellationToken = default);

    /// <summary>Moves a dead letter back to the outbox (due now). False when no such dead letter exists.</summary>
    Task<bool> ReplayDeadLetterAsync(string practiceId, long id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dead letter for good (the event is never delivered). False when no such dead letter exists.</summary>
    Task<bool> DiscardDeadLetterAsync(string practiceId, long id, CancellationToken cancellationToken = default);
}
