using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Server.Disclosure;
using Gateway.Storage;
using Gateway.Storage.Outbox;

namespace Gateway.Server.Durability;

/// <summary>Puts scrubbed events a destination could not take into the durable outbox (encrypted, committed and synced before returning).</summary>
internal sealed class OutboxWriter(IOutboxStore store, OutboxState state, OutboxPayloadProtection payloads, StoreHealth health)
{
    public bool HasPending(string practice, string destination) => state.HasPending(practice, destination);

    public async Task EnqueueAsync(PracticeContext practice, CompiledPolicy policy, DestinationDefinition destination,
        IReadOnlyList<(EventResult Result, ReadOnlyMemory<byte> Event)> events, DateTimeOffset now, string error, CancellationToken cancellationToken)
    {
        var entries = events.Select(e => new OutboxEntry
        {
            PracticeId = practice.Id,
            Destination = destination.Name,
            Cluster = destination.Cluster,
            Subject = e.Result.Subject,
            MessageId = e.Result.MessageId!,
            PolicyName = policy.Name,
            PolicyVersion = policy.Version,
            PolicySha256 = policy.Sha256,
            Event = payloads.Protect(practice.Id, e.Event.Span),
            EnqueuedAt = now,
            NextAttemptAt = now,
            LastError = error,
        }).ToList();
        try
        {
            await store.EnqueueAsync(entries, cancellationToken);
            health.Succeeded("outbox");
        }
        catch (StoreUnavailableException)
        {
            health.Failed("outbox");
            throw;
        }

        state.Enqueued(practice.Id, destination.Name, entries.Count);
    }
}
