using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Gateway.Server.Disclosure;
using Gateway.Server.Forwarding;
using Gateway.Server.Hosting;
using Gateway.Storage;
using Gateway.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Durability;

/// <summary>
/// Delivers the outbox: the oldest waiting events of one practice and destination at a time, in order,
/// with exponential backoff between failed attempts. A batch the destination refuses for good is retried
/// event by event so only the refused ones become dead letters; events still undelivered after
/// <c>Gateway:Outbox:MaxAgeHours</c> become dead letters too. Delivery is idempotent downstream: the
/// scoring service deduplicates by message id, so a retry after a crash never double-counts.
/// </summary>
internal sealed partial class OutboxDeliveryService(
    IOutboxStore store,
    OutboxState state,
    OutboxPayloadProtection payloads,
    IDestinationForwarder forwarder,
    IAuditLog audit,
    StoreHealth health,
    GatewayMetrics metrics,
    TimeProvider time,
    IOptions<GatewayOptions> options,
    ILogger<OutboxDeliveryService> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value.Outbox;
    private readonly string _worker = options.Value.InstanceId;

    /// <summary>
    /// Reads what already waits (with a shared store, possibly enqueued by other instances) before the gateway
    /// takes requests, so new events for a waiting destination join the queue instead of overtaking it.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            state.Refresh(await store.PendingAsync(cancellationToken));
        }
        catch (StoreUnavailableException ex)
        {
            health.Failed("outbox");
            Log.OutboxUnavailable(logger, ex.InnerException?.GetType().Name ?? ex.GetType().Name);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = false;
            try
            {
                state.Refresh(await store.PendingAsync(stoppingToken));
                var batch = await store.ClaimAsync(_worker, time.GetUtcNow(), _options.BatchSize, TimeSpan.FromSeconds(_options.LeaseSeconds), stoppingToken);
                health.Succeeded("outbox");
                if (batch.Count > 0)
                {
                    batch = await OpenAsync(batch, stoppingToken);
                    if (batch.Count > 0)
                    {
                        await DeliverAsync(batch, stoppingToken);
                    }

                    delivered = true;
                }
            }
            catch (KeyRingUnavailableException)
            {
                // The claim lapses and the batch is tried again once the key ring is back.
                Log.KeyRingMissing(logger);
            }
            catch (StoreUnavailableException ex)
            {
                health.Failed("outbox");
                Log.OutboxUnavailable(logger, ex.InnerException?.GetType().Name ?? ex.GetType().Name);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (!delivered)
            {
                try
                {
                    await state.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Decrypts a claimed batch. An entry that can never be decrypted (its key was deleted) becomes a dead
    /// letter, audited as not delivered; the entries after it are not delivered in this round, so order is kept.</summary>
    private async Task<IReadOnlyList<OutboxEntry>> OpenAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        var opened = new List<OutboxEntry>(batch.Count);
        foreach (var entry in batch)
        {
            try
            {
                opened.Add(entry with { Event = payloads.Unprotect(entry.PracticeId, entry.Event) });
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                const string reason = "unreadable";
                await store.DeadLetterAsync([entry.Id], reason, time.GetUtcNow(), cancellationToken);
                metrics.DeadLettered(entry.Destination, reason, 1);
                Audit([entry], new ForwardResult(ForwardOutcome.Rejected, null, "the queued event cannot be decrypted"), reason);
                break;
            }
        }

        return opened;
    }

    private async Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        var head = batch[0];
        var result = await SendAsync(batch, cancellationToken);
        if (result.Delivered)
        {
            await store.CompleteAsync([.. batch.Select(e => e.Id)], cancellationToken);
            Audit(batch, result, null);
            return;
        }

        var now = time.GetUtcNow();
        if (result.Outcome == ForwardOutcome.Rejected)
        {
            if (batch.Count > 1)
            {
                // Find the refused events: deliver one by one.
                foreach (var entry in batch)
                {
                    await DeliverAsync([entry], cancellationToken);
                }

                return;
            }

            var refused = "refused-" + (result.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
            await store.DeadLetterAsync([head.Id], result.Problem is { } problem ? $"{refused}: {problem}" : refused, now, cancellationToken);
            metrics.DeadLettered(head.Destination, refused, 1);
            Audit(batch, result, "refused");
            return;
        }

        if (now - head.EnqueuedAt > TimeSpan.FromHours(_options.MaxAgeHours))
        {
            await store.DeadLetterAsync([.. batch.Select(e => e.Id)], "expired", now, cancellationToken);
            metrics.DeadLettered(head.Destination, "expired", batch.Count);
            Audit(batch, result, "expired");
            return;
        }

        var backoff = Math.Min(_options.MaxBackoffSeconds, _options.MinBackoffSeconds * Math.Pow(2, Math.Min(head.Attempts, 20)));
        var jitter = backoff * 0.2 * Random.Shared.NextDouble();
        await store.RescheduleAsync([.. batch.Select(e => e.Id)], now + TimeSpan.FromSeconds(backoff + jitter), result.Error ?? "not-delivered", cancellationToken);
        Audit(batch, result, null);
    }

    private async Task<ForwardResult> SendAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        // One request per policy version, so the batch header always names the policy its events were scrubbed under.
        ForwardResult last = default;
        foreach (var group in batch.GroupBy(e => e.PolicySha256))
        {
            var first = group.First();
            var body = ForwardBatchWriter.Write(first.PracticeId, first.PolicyName, first.PolicyVersion, first.PolicySha256, time.GetUtcNow(), [.. group.Select(e => (ReadOnlyMemory<byte>)e.Event)]);
            using (var span = GatewayTracing.Forward(first.PracticeId, first.PolicyName, first.Destination, group.Count()))
            {
                span?.SetTag("gateway.source", "outbox");
                last = await forwarder.SendAsync(first.Cluster, body, cancellationToken);
                GatewayTracing.Finish(span, last);
            }

            metrics.Delivery(first.Destination, last.Outcome.ToString(), group.Count());
            if (!last.Delivered)
            {
                return last;
            }
        }

        return last;
    }

    private void Audit(IReadOnlyList<OutboxEntry> batch, ForwardResult result, string? deadLettered)
    {
        var head = batch[0];
        audit.Enqueue(GatewayAuditRecords.Delivery(head.PracticeId, head.Destination, head.Cluster, [.. batch.Select(e => e.MessageId)],
            result.Delivered, result.Status, result.Error, "outbox", deadLettered: deadLettered));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "The outbox store is unavailable ({Error}); delivery paused")]
        public static partial void OutboxUnavailable(ILogger logger, string error);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "The Data Protection key ring is missing; outbox delivery paused until it is restored")]
        public static partial void KeyRingMissing(ILogger logger);
    }
}
