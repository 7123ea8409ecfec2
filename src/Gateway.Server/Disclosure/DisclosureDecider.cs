using System.Text.Json;
using Gateway.Compliance.Baa;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Storage;
using Gateway.Storage.Baa;
using Gateway.Storage.Consent;

namespace Gateway.Server.Disclosure;

/// <summary>
/// Decides where each of a request's events may go. Reads the consent ledger (its change feed, then the subjects of
/// the request it does not hold, in one query: <see cref="CachedConsentLedger"/>) and the BAA registry on every
/// request, so a revocation or an expiry applies to the next event on every instance. Records the consent decisions events carry (categoryPreferences,
/// SMS opt-outs) in the ledger first, when they change the subject's state, so decisions cite ledger ids.
/// Throws <see cref="StoreUnavailableException"/> when a store cannot be read: the caller fails closed.
/// </summary>
internal sealed class DisclosureDecider(IConsentLedger ledger, IBaaRegistry registry, StoreHealth health)
{
    public async Task<IReadOnlyList<EventDisclosure>> DecideAsync(
        PracticeContext practice,
        CompiledPolicy policy,
        IReadOnlyList<(EventResult Result, JsonElement Element)> events,
        EventProcessor processor,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        IReadOnlyList<ConsentRecord> current;
        IReadOnlyList<BaaRecord> baas;
        try
        {
            var subjects = events.SelectMany(e => e.Result.SubjectIds).ToHashSet(StringComparer.Ordinal);
            current = await ledger.CurrentAsync(practice.Id, subjects, cancellationToken);
            current = await RecordSignalsAsync(practice, events, current, now, cancellationToken);
            health.Succeeded("consent");
            baas = await registry.CurrentAsync(practice.Id, cancellationToken);
            health.Succeeded("baa");
        }
        catch (StoreUnavailableException ex)
        {
            health.Failed(ex.Store);
            throw;
        }

        var bySubject = current.ToLookup(r => r.Subject, StringComparer.Ordinal);
        var baaByDestination = baas.ToDictionary(b => b.Destination, StringComparer.Ordinal);
        return DisclosurePlanner.Plan(practice, events, processor, result => new ConsentState(result.SubjectIds.SelectMany(s => bySubject[s])), baaByDestination, now);
    }

    /// <summary>Appends the consent decisions events carry, when they differ from the subject's latest record.</summary>
    private async Task<IReadOnlyList<ConsentRecord>> RecordSignalsAsync(
        PracticeContext practice, IReadOnlyList<(EventResult Result, JsonElement Element)> events, IReadOnlyList<ConsentRecord> current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = new List<ConsentRecord>();
        var latest = current.GroupBy(r => r.Subject, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new ConsentState(g), StringComparer.Ordinal);
        foreach (var (result, _) in events)
        {
            if (result.ConsentSignals.Count == 0 || result.Subject is null)
            {
                continue;
            }

            var state = new ConsentState(result.SubjectIds.SelectMany(s => latest.TryGetValue(s, out var st) ? st.All : []).Concat(pending.Where(p => result.SubjectIds.Contains(p.Subject))));
            foreach (var signal in result.ConsentSignals)
            {
                var last = state.Latest(signal.Purpose);
                var changes = last is null || last.Decision != signal.Decision || (signal.Decision == ConsentDecision.Granted && !last.GrantsAt(now));
                if (!changes)
                {
                    continue;
                }

                var record = new ConsentRecord
                {
                    Id = (long.MaxValue / 2) + pending.Count,
                    PracticeId = practice.Id,
                    Subject = result.Subject,
                    Purpose = signal.Purpose,
                    Decision = signal.Decision,
                    Source = signal.Source,
                    SourceReference = signal.SourceReference,
                    RecordedAt = now,
                    RecordedBy = "gateway",
                };
                pending.Add(record);
                state.Apply(record);
            }
        }

        if (pending.Count == 0)
        {
            return current;
        }

        var stored = await ledger.AppendAsync([.. pending.Select(p => p with { Id = 0 })], cancellationToken);
        return [.. current, .. stored];
    }
}
