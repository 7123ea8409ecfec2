using Gateway.Compliance.Audit;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Gateway.Server.Disclosure;
using Gateway.Server.Forwarding;
using Gateway.Server.Hosting;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
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
    AdPlatformForwarder platforms,
    PracticeDirectory practices,
    PolicyProvider policies,
    Gateway.Storage.Consent.IConsentLedger consentLedger,
    DeliveryRecorder deliveries,
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

        // Deliveries a crash left without their record are recorded before new ones are made.
        await ReconcileAsync(live: false, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = false;
            if (deliveries.MayHaveUnrecorded)
            {
                await ReconcileAsync(live: true, stoppingToken);
            }

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

    /// <summary>
    /// A claimed batch can span a policy reload. Each run of events scrubbed under one policy is one request, settled
    /// and audited on its own: a later run that fails never makes an earlier, delivered one be sent again. Runs after
    /// a failed one wait behind it, so delivery stays in order.
    /// </summary>
    private async Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        var runs = PolicyRuns(batch);
        for (var i = 0; i < runs.Count; i++)
        {
            if (await DeliverRunAsync(runs[i], cancellationToken) is { } retryAt)
            {
                var behind = runs.Skip(i + 1).SelectMany(r => r).Select(e => e.Id).ToList();
                if (behind.Count > 0)
                {
                    await store.RescheduleAsync(behind, retryAt, "queued-behind-earlier-events", cancellationToken);
                }

                return;
            }
        }
    }

    /// <summary>Consecutive entries scrubbed under the same policy (version and content hash), in queue order.</summary>
    internal static IReadOnlyList<IReadOnlyList<OutboxEntry>> PolicyRuns(IReadOnlyList<OutboxEntry> batch)
    {
        var runs = new List<IReadOnlyList<OutboxEntry>>();
        var current = new List<OutboxEntry>();
        foreach (var entry in batch)
        {
            if (current.Count > 0 && current[0].PolicySha256 != entry.PolicySha256)
            {
                runs.Add(current);
                current = [];
            }

            current.Add(entry);
        }

        if (current.Count > 0)
        {
            runs.Add(current);
        }

        return runs;
    }

    /// <summary>Sends events of one policy in one request and settles them; returns when to retry if they were rescheduled.</summary>
    private async Task<DateTimeOffset?> DeliverRunAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        batch = await StillConsentedAsync(batch, cancellationToken);
        if (batch.Count == 0)
        {
            return null;
        }

        var head = batch[0];
        var result = await SendAsync(batch, cancellationToken);
        if (result.Delivered && result.RefusedRows.Count > 0)
        {
            // An ad platform took the batch but refused some rows on their own (Google's partial failure).
            var refusedAt = result.RefusedRows.ToDictionary(r => r.Index, r => r.Code);
            var taken = batch.Where((_, i) => !refusedAt.ContainsKey(i)).ToList();
            if (taken.Count > 0)
            {
                await deliveries.DeliveredAsync(taken, result.Status, "outbox", cancellationToken);
            }

            foreach (var (index, code) in refusedAt)
            {
                // The platform read the row before refusing it: a dead letter, and a disclosure all the same.
                var entry = batch[index];
                await store.DeadLetterAsync([entry.Id], "refused-row: " + code, time.GetUtcNow(), cancellationToken);
                metrics.DeadLettered(entry.Destination, "refused-row", 1);
                audit.Enqueue(GatewayAuditRecords.Delivery(entry.PracticeId, entry.Destination, entry.Cluster, [entry.MessageId],
                    false, result.Status, code, "outbox", deadLettered: "refused", transmitted: true));
            }

            return null;
        }

        if (result.Delivered)
        {
            await deliveries.DeliveredAsync(batch, result.Status, "outbox", cancellationToken);
            return null;
        }

        var now = time.GetUtcNow();
        if (result.Outcome == ForwardOutcome.Rejected)
        {
            if (batch.Count > 1)
            {
                // Find the refused events: deliver one by one, within half the claim's lease, so no other worker claims
                // and sends these entries meanwhile; what is left waits for the next round.
                var splitting = System.Diagnostics.Stopwatch.StartNew();
                for (var i = 0; i < batch.Count; i++)
                {
                    if (splitting.Elapsed > TimeSpan.FromSeconds(_options.LeaseSeconds / 2))
                    {
                        await store.RescheduleAsync([.. batch.Skip(i).Select(e => e.Id)], time.GetUtcNow(), "split-continues", cancellationToken);
                        break;
                    }

                    await DeliverRunAsync([batch[i]], cancellationToken);
                }

                return null;
            }

            var refused = "refused-" + (result.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? result.Error ?? "unknown");
            await store.DeadLetterAsync([head.Id], result.Problem is { } problem ? $"{refused}: {problem}" : refused, now, cancellationToken);
            metrics.DeadLettered(head.Destination, refused, 1);
            // An ad platform that answered with a refusal read the conversion first: a disclosure for the accounting.
            Audit(batch, result, "refused", transmitted: result.Status is not null && DestinationOf(head)?.Ads is not null);
            return null;
        }

        if (now - head.EnqueuedAt > TimeSpan.FromHours(_options.MaxAgeHours))
        {
            await store.DeadLetterAsync([.. batch.Select(e => e.Id)], "expired", now, cancellationToken);
            metrics.DeadLettered(head.Destination, "expired", batch.Count);
            Audit(batch, result, "expired");
            return null;
        }

        var backoff = Math.Min(_options.MaxBackoffSeconds, _options.MinBackoffSeconds * Math.Pow(2, Math.Min(head.Attempts, 20)));
        var jitter = backoff * 0.2 * Random.Shared.NextDouble();
        var wait = TimeSpan.FromSeconds(backoff + jitter);

        // A platform's own hint wins over the backoff, up to an hour (a hint beyond that is not waited out in one go).
        var asked = result.RetryAfter is { } hint ? TimeSpan.FromTicks(Math.Min(hint.Ticks, TimeSpan.FromHours(1).Ticks)) : TimeSpan.Zero;
        var retryAt = now + (asked > wait ? asked : wait);
        await store.RescheduleAsync([.. batch.Select(e => e.Id)], retryAt, result.Error ?? "not-delivered", cancellationToken);
        Audit(batch, result, null);
        return retryAt;
    }

    /// <summary>One request: every entry of <paramref name="batch"/> was scrubbed under the same policy, which the batch header names.</summary>
    private async Task<ForwardResult> SendAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        var first = batch[0];
        var destination = DestinationOf(first);
        if (destination is null)
        {
            // The policy no longer sends there: what waits is not sent against it, and stays as dead letters to inspect.
            return new ForwardResult(ForwardOutcome.Rejected, null, "destination-not-in-policy");
        }

        ForwardResult result;
        using (var span = GatewayTracing.Forward(first.PracticeId, first.PolicyName, first.Destination, batch.Count))
        {
            span?.SetTag("gateway.source", "outbox");
            if (destination.Kind == DestinationKind.Scoring)
            {
                var body = ForwardBatchWriter.Write(first.PracticeId, first.PolicyName, first.PolicyVersion, first.PolicySha256, time.GetUtcNow(), [.. batch.Select(e => (ReadOnlyMemory<byte>)e.Event)]);
                result = await forwarder.SendAsync(first.Cluster, body, cancellationToken);
            }
            else
            {
                result = await platforms.SendAsync(first.PracticeId, destination, [.. batch.Select(e => (ReadOnlyMemory<byte>)e.Event)], cancellationToken);
            }

            GatewayTracing.Finish(span, result);
        }

        metrics.Delivery(first.Destination, result.Outcome.ToString(), batch.Count);
        return result;
    }

    /// <summary>
    /// Ad-platform conversions are checked again when they go: one whose subject has since withdrawn the destination's
    /// purposes, or, for a conversion carrying identifiers, the HIPAA authorization (or whose policy no longer sends
    /// identifiers there), becomes a dead letter instead of being sent. Scoring events pass unchanged.
    /// </summary>
    private async Task<IReadOnlyList<OutboxEntry>> StillConsentedAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        if (DestinationOf(batch[0]) is not { Ads: { } ads } destination)
        {
            return batch;
        }

        var subjects = batch.Select(e => e.Subject).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var records = (subjects.Count == 0 ? [] : await consentLedger.CurrentAsync(batch[0].PracticeId, subjects, cancellationToken)).ToLookup(r => r.Subject, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var allowed = new List<OutboxEntry>(batch.Count);
        foreach (var entry in batch)
        {
            var consent = new Gateway.Compliance.Consent.ConsentState(entry.Subject is null ? [] : records[entry.Subject]);
            var withdrawn = entry.Subject is not null && consent.Check(destination.Purposes, now).Missing.Count > 0
                ? "consent-withdrawn"
                : Gateway.Compliance.Destinations.AdConversionRows.CarriesIdentifiers(destination.Kind, entry.Event)
                  && (ads.Mode != AdMode.Authorized || entry.Subject is null || consent.Check([Gateway.Compliance.Consent.ConsentPurposes.HipaaAuthorization], now).Missing.Count > 0)
                    ? "authorization-withdrawn"
                    : null;
            if (withdrawn is null)
            {
                allowed.Add(entry);
                continue;
            }

            await store.DeadLetterAsync([entry.Id], withdrawn, now, cancellationToken);
            metrics.DeadLettered(entry.Destination, withdrawn, 1);
            Audit([entry], new ForwardResult(ForwardOutcome.Rejected, null, withdrawn), withdrawn);
        }

        return allowed;
    }

    /// <summary>The waiting entry's destination in the practice's policy in force; null when it is gone or switched off.</summary>
    private DestinationDefinition? DestinationOf(OutboxEntry entry) =>
        practices.TryGet(entry.PracticeId, out var practice) && policies.TryGetPolicy(practice, out var policy)
            ? policy.Destinations.FirstOrDefault(d => d.Name == entry.Destination && d.Enabled)
            : null;

    private async Task ReconcileAsync(bool live, CancellationToken cancellationToken)
    {
        try
        {
            await deliveries.ReconcileAsync(live, cancellationToken);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or AuditUnavailableException or IOException or InvalidDataException)
        {
            // A damaged compressed audit segment is reported by verify; delivery goes on, and reconciliation is tried again.
            Log.ReconcileFailed(logger, ex.GetType().Name);
        }
    }

    private void Audit(IReadOnlyList<OutboxEntry> batch, ForwardResult result, string? deadLettered, bool transmitted = false)
    {
        var head = batch[0];
        audit.Enqueue(GatewayAuditRecords.Delivery(head.PracticeId, head.Destination, head.Cluster, [.. batch.Select(e => e.MessageId)],
            result.Delivered, result.Status, result.Error, "outbox", deadLettered: deadLettered, transmitted: transmitted));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "The outbox store is unavailable ({Error}); delivery paused")]
        public static partial void OutboxUnavailable(ILogger logger, string error);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Deliveries could not be reconciled with the audit log ({Error}); retrying")]
        public static partial void ReconcileFailed(ILogger logger, string error);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "The Data Protection key ring is missing; outbox delivery paused until it is restored")]
        public static partial void KeyRingMissing(ILogger logger);
    }
}
