using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Gateway.Storage;
using Gateway.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Durability;

/// <summary>
/// Makes every delivery's audit record durable (accounting of disclosures, 45 CFR 164.528: one record per event and
/// destination, complete across crashes). Events are in the outbox before they are forwarded; once the destination
/// takes them they leave it in the same transaction that remembers the delivery, then the record is appended and
/// waited for, and only then is the delivery forgotten. A crash or an audit outage in between leaves the delivery
/// remembered, and <see cref="ReconcileAsync"/> writes the records that are not in the audit log yet.
/// </summary>
internal sealed partial class DeliveryRecorder(
    IOutboxStore store,
    IAuditLog audit,
    TimeProvider time,
    IOptions<GatewayOptions> options,
    ILogger<DeliveryRecorder> logger)
{
    /// <summary>How far before the oldest remembered delivery the audit log is searched for its record (clock steps, slow groups).</summary>
    private static readonly TimeSpan s_searchMargin = TimeSpan.FromMinutes(10);

    /// <summary>How old a remembered delivery must be before a reconciliation during traffic takes it over.</summary>
    private static readonly TimeSpan s_settling = TimeSpan.FromSeconds(30);

    private readonly string _instance = options.Value.InstanceId;
    private volatile bool _unrecorded = true;

    /// <summary>True when a delivery may lack its record (at start, and after a record could not be written).</summary>
    public bool MayHaveUnrecorded => _unrecorded;

    /// <summary>
    /// Settles entries the destination took: out of the outbox (delivery remembered), record durable, delivery forgotten.
    /// Throws <see cref="StoreUnavailableException"/> when the outbox cannot settle them: they stay claimed, and are sent
    /// again (and recorded) once the claim expires.
    /// </summary>
    public async Task DeliveredAsync(IReadOnlyList<OutboxEntry> entries, int? status, string attempt, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var head = entries[0];
        var ids = entries.Select(e => e.Id).ToList();
        await store.CompleteAsync(ids, new DeliveryReceipt(_instance, time.GetUtcNow(), status, attempt), cancellationToken);
        try
        {
            await audit.AppendAsync([GatewayAuditRecords.Delivery(head.PracticeId, head.Destination, head.Cluster, [.. entries.Select(e => e.MessageId)], true, status, null, attempt)], cancellationToken);
            await store.DeliveriesRecordedAsync(ids, cancellationToken);
        }
        catch (Exception ex) when (ex is AuditUnavailableException or StoreUnavailableException)
        {
            // The delivery stays remembered; the next reconciliation writes (or finds) its record.
            _unrecorded = true;
            Log.RecordDeferred(logger, head.PracticeId, head.Destination, entries.Count, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Writes the delivery records that remembered deliveries of this instance lack, and forgets those that have one.
    /// Run at start (before requests) and when a record could not be written; returns how many records it wrote.
    /// </summary>
    /// <param name="live">
    /// True while requests are served: deliveries younger than <see cref="s_settling"/> are left alone, since their
    /// own request may be appending their record right now.
    /// </param>
    public async Task<int> ReconcileAsync(bool live, CancellationToken cancellationToken)
    {
        var all = await store.UnrecordedDeliveriesAsync(_instance, cancellationToken);
        var settledBefore = time.GetUtcNow() - s_settling;
        IReadOnlyList<DeliveredEntry> remembered = live ? [.. all.Where(d => d.Receipt.DeliveredAt < settledBefore)] : all;
        if (remembered.Count == 0)
        {
            _unrecorded = all.Count > 0;
            return 0;
        }

        var recorded = RecordedDeliveries(remembered.Min(d => d.Receipt.DeliveredAt) - s_searchMargin);
        var written = 0;
        foreach (var group in remembered.Where(d => !recorded.Contains((d.PracticeId, d.Destination, d.MessageId)))
                     .GroupBy(d => (d.PracticeId, d.Destination, d.Cluster, d.Receipt.Attempt, d.Receipt.Status)))
        {
            var (practice, destination, cluster, attempt, status) = group.Key;
            await audit.AppendAsync([GatewayAuditRecords.Delivery(practice, destination, cluster, [.. group.Select(d => d.MessageId)], true, status, null, attempt, reconciled: true)], cancellationToken);
            written += group.Count();
        }

        await store.DeliveriesRecordedAsync([.. remembered.Select(d => d.Id)], cancellationToken);
        _unrecorded = remembered.Count < all.Count;
        Log.Reconciled(logger, remembered.Count, written);
        return written;
    }

    /// <summary>(practice, destination, message id) of every delivered record this instance wrote since <paramref name="from"/>.</summary>
    private HashSet<(string, string, string)> RecordedDeliveries(DateTimeOffset from)
    {
        var found = new HashSet<(string, string, string)>();
        if (audit is not FileAuditLog file)
        {
            return found;
        }

        var query = new AuditQuery { From = from, Kinds = new HashSet<string>([AuditKinds.Delivery]), Instances = new HashSet<string>([_instance]) };
        foreach (var record in new AuditReader([file.Options.Directory]).Read(query))
        {
            if (record.Delivery is { Delivered: true } delivery)
            {
                foreach (var id in delivery.MessageIds)
                {
                    found.Add((delivery.Practice, delivery.Destination, id));
                }
            }
        }

        return found;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "The delivery record of {Count} events of practice {Practice} to {Destination} could not be made durable ({Error}); it is written when the audit log is back")]
        public static partial void RecordDeferred(ILogger logger, string practice, string destination, int count, string error);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Reconciled {Remembered} remembered deliveries with the audit log: wrote {Written} missing delivery records")]
        public static partial void Reconciled(ILogger logger, int remembered, int written);
    }
}
