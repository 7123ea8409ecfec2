using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Server.Configuration;
using Gateway.Server.Disclosure;
using Gateway.Storage;
using Gateway.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Durability;

/// <summary>
/// Puts scrubbed events into the durable outbox (encrypted, committed and synced before returning): those a destination could
/// not take, and those about to be forwarded directly, held by this instance while the forward is in flight so that
/// a crash after the destination took them still ends in a delivery record (<see cref="DeliveryRecorder"/>).
/// </summary>
internal sealed class OutboxWriter(IOutboxStore store, OutboxState state, OutboxPayloadProtection payloads, StoreHealth health, IOptions<GatewayOptions> options)
{
    private readonly string _directWorker = OutboxClaim.DirectWorker(options.Value.InstanceId);

    /// <summary>A held forward outlives the forward's timeout, so the delivery worker never sends the same events concurrently.</summary>
    private readonly TimeSpan _hold = TimeSpan.FromSeconds(Math.Max(options.Value.Outbox.LeaseSeconds, options.Value.Forwarding.TimeoutSeconds * 2.0));

    public bool HasPending(string practice, string destination) => state.HasPending(practice, destination);

    public async Task EnqueueAsync(PracticeContext practice, CompiledPolicy policy, DestinationDefinition destination,
        IReadOnlyList<(EventResult Result, ReadOnlyMemory<byte> Event)> events, DateTimeOffset now, string error, CancellationToken cancellationToken)
    {
        var queued = await WriteAsync(Entries(practice, policy, destination, events, now, error), null, cancellationToken);
        state.Enqueued(practice.Id, destination.Name, queued.Count);
    }

    /// <summary>
    /// Queues events held by this instance for a direct forward, and returns those it queued (events already waiting
    /// with the same message id are left to the delivery worker and not returned).
    /// </summary>
    public Task<IReadOnlyList<OutboxEntry>> HoldAsync(PracticeContext practice, CompiledPolicy policy, DestinationDefinition destination,
        IReadOnlyList<(EventResult Result, ReadOnlyMemory<byte> Event)> events, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(Entries(practice, policy, destination, events, now, "in-flight"), new OutboxClaim(_directWorker, now + _hold), cancellationToken);

    /// <summary>Hands held events the destination did not take to the delivery worker (due now, in order behind nothing).</summary>
    public async Task ReleaseAsync(IReadOnlyList<OutboxEntry> held, DateTimeOffset now, string error, CancellationToken cancellationToken)
    {
        if (held.Count == 0)
        {
            return;
        }

        try
        {
            await store.RescheduleAsync([.. held.Select(e => e.Id)], now, error, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // Still held: the delivery worker takes them when the hold expires.
            health.Failed("outbox");
        }

        state.Enqueued(held[0].PracticeId, held[0].Destination, held.Count);
    }

    private async Task<IReadOnlyList<OutboxEntry>> WriteAsync(List<OutboxEntry> entries, OutboxClaim? claim, CancellationToken cancellationToken)
    {
        try
        {
            var queued = await store.EnqueueAsync(entries, claim, cancellationToken);
            health.Succeeded("outbox");
            return queued;
        }
        catch (StoreUnavailableException)
        {
            health.Failed("outbox");
            throw;
        }
    }

    private List<OutboxEntry> Entries(PracticeContext practice, CompiledPolicy policy, DestinationDefinition destination,
        IReadOnlyList<(EventResult Result, ReadOnlyMemory<byte> Event)> events, DateTimeOffset now, string error)
    {
        var stored = payloads.Protect(practice.Id, [.. events.Select(e => e.Event)]);
        return [.. events.Select((e, i) => new OutboxEntry
        {
            PracticeId = practice.Id,
            Destination = destination.Name,
            Cluster = destination.Cluster,
            Subject = e.Result.Subject,
            MessageId = e.Result.MessageId!,
            PolicyName = policy.Name,
            PolicyVersion = policy.Version,
            PolicySha256 = policy.Sha256,
            Event = stored[i],
            EnqueuedAt = now,
            NextAttemptAt = now,
            LastError = error,
        })];
    }
}
