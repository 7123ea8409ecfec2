using Gateway.Compliance.Processing;
using Gateway.Server.Configuration;
using Gateway.Storage;
using Gateway.Storage.Deduplication;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Disclosure;

/// <summary>
/// Keeps an SDK's retry from disclosing an event twice. Before forwarding, the message ids of a request's forwardable
/// events are claimed; an id already forwarded or queued within the window (or earlier in the same request) turns its
/// event into a drop with reason <see cref="Reason"/>, audited like any drop and acknowledged. After the events were
/// delivered or queued the claims are completed; when the request fails they are released, so a retry is processed.
/// </summary>
internal sealed class DuplicateGuard(IMessageIdLedger ledger, StoreHealth health, IOptions<GatewayOptions> options)
{
    public const string Reason = "duplicate";

    private readonly DeduplicationOptions _options = options.Value.Deduplication;
    private readonly string _owner = options.Value.InstanceId;

    /// <summary>
    /// Claims the forwardable events' ids. Returns the disclosures with duplicates turned into drops, the ids now held
    /// (to complete or release), and whether another request is processing one of the ids right now.
    /// </summary>
    public async Task<DuplicateClaim> ClaimAsync(string practiceId, IReadOnlyList<EventDisclosure> disclosures, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return new DuplicateClaim(disclosures, [], false);
        }

        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = new HashSet<int>();
        foreach (var d in disclosures.Where(d => d.Outcome == DestinationDecision.Forward))
        {
            if (!seen.Add(d.Result.MessageId!))
            {
                repeated.Add(d.Result.Index);
            }
        }

        ids.AddRange(seen);
        IReadOnlyDictionary<string, MessageIdClaim> claims;
        try
        {
            claims = await ledger.ClaimAsync(practiceId, ids, _owner, now, TimeSpan.FromHours(_options.WindowHours), TimeSpan.FromSeconds(_options.ClaimLeaseSeconds), cancellationToken);
            health.Succeeded("deduplication");
        }
        catch (StoreUnavailableException)
        {
            health.Failed("deduplication");
            throw;
        }

        var held = claims.Where(c => c.Value == MessageIdClaim.Claimed).Select(c => c.Key).ToList();
        var inFlight = claims.Values.Any(c => c == MessageIdClaim.InFlight);
        var result = disclosures
            .Select(d => d.Outcome == DestinationDecision.Forward && (repeated.Contains(d.Result.Index) || claims[d.Result.MessageId!] == MessageIdClaim.Duplicate) ? AsDuplicate(d) : d)
            .ToList();
        return new DuplicateClaim(result, held, inFlight);
    }

    /// <summary>Marks the held ids forwarded or queued. A store failure is only reported: the events are already out, and
    /// their claims still stop retries until the lease ends.</summary>
    public async Task CompleteAsync(string practiceId, DuplicateClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (claim.Held.Count == 0)
        {
            return;
        }

        try
        {
            await ledger.CompleteAsync(practiceId, claim.Held, now, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            health.Failed("deduplication");
        }
    }

    /// <summary>Gives the claims back after a failed request; a failure here only delays a retry until the lease ends.</summary>
    public async Task ReleaseAsync(string practiceId, DuplicateClaim claim)
    {
        if (claim.Held.Count == 0)
        {
            return;
        }

        try
        {
            await ledger.ReleaseAsync(practiceId, claim.Held, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            health.Failed("deduplication");
        }
    }

    private static EventDisclosure AsDuplicate(EventDisclosure disclosure) => disclosure with
    {
        Decisions = [.. disclosure.Decisions.Select(d => new DestinationDecision { Destination = d.Destination, Outcome = DestinationDecision.Dropped, Reason = Reason })],
        Outputs = new Dictionary<string, ReadOnlyMemory<byte>>(),
    };
}

/// <summary>The disclosures after the duplicate check, the message ids the request now holds, and whether it must wait.</summary>
internal sealed record DuplicateClaim(IReadOnlyList<EventDisclosure> Disclosures, IReadOnlyList<string> Held, bool InFlight);
