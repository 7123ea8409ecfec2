using System.Text.Json;
using Gateway.Compliance.Practices;
using Gateway.Server.Ingest;
using Gateway.Server.Policies;
using Gateway.Storage.Outbox;
using Gateway.Storage.Quarantine;

namespace Gateway.Server.Durability;

/// <summary>
/// Replays of quarantined events and dead letters, for the admin API and the compliance console alike: a
/// quarantined event goes through the full pipeline again (schema, policy, consent, BAA, audit) under the
/// policy in force; a dead letter goes back to the outbox. Discarding marks a quarantined entry so it is
/// neither listed as waiting nor replayed (the retention purge deletes it), and deletes a dead letter at once.
/// </summary>
internal sealed class DurabilityActions(PolicyProvider policies, IQuarantineStore quarantineStore, QuarantineService quarantine, IngestPipeline pipeline,
    IOutboxStore outbox, OutboxState outboxState, TimeProvider time)
{
    public const string Discarded = "discarded";

    /// <summary>Null when no such entry (or no policy for the practice) exists.</summary>
    public async Task<QuarantineReplay?> ReplayQuarantinedAsync(PracticeContext practice, long id, CancellationToken cancellationToken)
    {
        if (!policies.TryGetPolicy(practice, out var policy))
        {
            return null;
        }

        var entry = await quarantineStore.GetAsync(practice.Id, id, cancellationToken);
        if (entry is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(quarantine.Reveal(entry));
        var outcome = await pipeline.ProcessEventsAsync(practice, policy, [document.RootElement], entry.EndpointType, keepInvalid: false);
        if (outcome.Failure is { } failure)
        {
            return new QuarantineReplay(entry.Id, "failed", [], failure);
        }

        var result = outcome.Rejected.Count > 0 ? "rejected" : outcome.Queued > 0 ? "queued" : outcome.Delivered > 0 ? "forwarded" : "dropped";

        // A repeated replay of a forwarded entry is a duplicate (dropped): the entry keeps its first outcome.
        if (result != "rejected" && entry.ReplayOutcome is null or "dropped")
        {
            await quarantineStore.MarkReplayedAsync(entry.Id, time.GetUtcNow(), result, cancellationToken);
        }

        return new QuarantineReplay(entry.Id, result, [.. outcome.Rejected.SelectMany(r => r.Result.Violations).Select(v => (v.Path, v.Rule))], null);
    }

    /// <summary>Marks a quarantined entry discarded; false when no such entry exists.</summary>
    public async Task<bool> DiscardQuarantinedAsync(string practiceId, long id, CancellationToken cancellationToken)
    {
        if (await quarantineStore.GetAsync(practiceId, id, cancellationToken) is null)
        {
            return false;
        }

        await quarantineStore.MarkReplayedAsync(id, time.GetUtcNow(), Discarded, cancellationToken);
        return true;
    }

    /// <summary>Deletes a dead letter for good; false when no such dead letter exists.</summary>
    public Task<bool> DiscardDeadLetterAsync(string practiceId, long id, CancellationToken cancellationToken) =>
        outbox.DiscardDeadLetterAsync(practiceId, id, cancellationToken);

    /// <summary>Moves a dead letter back to the outbox, due now; false when no such dead letter exists.</summary>
    public async Task<bool> ReplayDeadLetterAsync(string practiceId, long id, CancellationToken cancellationToken)
    {
        if (!await outbox.ReplayDeadLetterAsync(practiceId, id, time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        outboxState.Refresh(await outbox.PendingAsync(cancellationToken));
        return true;
    }
}

/// <summary>A replay's outcome (<c>forwarded</c>, <c>queued</c>, <c>dropped</c>, <c>rejected</c> or <c>failed</c>) with the violations (path, rule) when still invalid.</summary>
internal sealed record QuarantineReplay(long Id, string Outcome, IReadOnlyList<(string Path, string Rule)> Violations, IngestFailure? Failure);
