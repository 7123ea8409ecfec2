namespace Gateway.Storage.Outbox;

/// <summary>
/// Who holds entries while a forward is in flight: the delivery worker leaves claimed entries alone until
/// <paramref name="Until"/>, then takes them over (a crashed instance's in-flight events are sent again).
/// </summary>
public sealed record OutboxClaim(string Worker, DateTimeOffset Until)
{
    /// <summary>The worker name of an instance's direct forwards (not counted as waiting: they are being sent).</summary>
    public static string DirectWorker(string instance) => instance + DirectSuffix;

    internal const string DirectSuffix = ":direct";
}

/// <summary>How a delivered entry left the outbox: which instance sent it, when, the destination's status, and the attempt ("direct" or "outbox").</summary>
public sealed record DeliveryReceipt(string Instance, DateTimeOffset DeliveredAt, int? Status, string Attempt);

/// <summary>
/// An event the destination took whose delivery audit record may not be durable yet. Kept (by its outbox id) from
/// the moment it left the outbox until the record is written, so a restart can write the records a crash lost
/// (accounting of disclosures, 45 CFR 164.528: one record per event and destination).
/// </summary>
public sealed record DeliveredEntry(long Id, string PracticeId, string Destination, string Cluster, string MessageId, DeliveryReceipt Receipt);
