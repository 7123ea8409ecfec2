namespace Gateway.Storage.Deduplication;

/// <summary>
/// Which message ids of a practice were already forwarded or queued, so that an SDK's retry of a batch whose answer it
/// never saw is acknowledged instead of disclosed a second time. A message id is claimed before its event is forwarded,
/// completed once the event was delivered or durably queued, and released when the request fails, so a claim never
/// stands for an event that was neither forwarded nor stored. Shared by every instance on PostgreSQL.
/// </summary>
public interface IMessageIdLedger
{
    /// <summary>
    /// Claims <paramref name="messageIds"/> (distinct) in one transaction. An id completed within <paramref name="window"/>
    /// is a <see cref="MessageIdClaim.Duplicate"/>; one claimed less than <paramref name="lease"/> ago and not completed
    /// is <see cref="MessageIdClaim.InFlight"/>; any other is claimed for the caller (a claim older than the lease was
    /// left by a crashed request and is taken over).
    /// </summary>
    /// <param name="owner">The claiming gateway instance, so it can give back what it held when it stopped without finishing.</param>
    Task<IReadOnlyDictionary<string, MessageIdClaim>> ClaimAsync(string practiceId, IReadOnlyCollection<string> messageIds, string owner, DateTimeOffset now,
        TimeSpan window, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Marks claimed ids as forwarded or queued, as of <paramref name="now"/>.</summary>
    Task CompleteAsync(string practiceId, IReadOnlyCollection<string> messageIds, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives claimed, not completed ids back (their request failed: a retry must be processed).</summary>
    Task ReleaseAsync(string practiceId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Gives back the open claims <paramref name="owner"/> made before <paramref name="before"/> (its start): a
    /// process killed mid-request leaves them, and its retries must not wait for the lease. Returns how many.</summary>
    Task<int> ReleaseAbandonedAsync(string owner, DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Forgets ids last touched before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}

/// <summary>What a claim found for one message id.</summary>
public enum MessageIdClaim
{
    /// <summary>The caller holds the id now: process and forward the event.</summary>
    Claimed,

    /// <summary>Forwarded or queued within the window: acknowledge, do not forward.</summary>
    Duplicate,

    /// <summary>Another request is processing it right now: answer "retry later".</summary>
    InFlight,
}
