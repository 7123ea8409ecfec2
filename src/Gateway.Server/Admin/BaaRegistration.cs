using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Practices;
using Gateway.Server.Policies;
using Gateway.Storage;
using Gateway.Storage.Baa;

namespace Gateway.Server.Admin;

/// <summary>
/// Recording and ending BAAs, for the admin API and the compliance console alike: the destination must be one
/// of the practice's policy, the dates must make sense, the covered classes must be known data classes.
/// Every change is a new record of the append-only registry.
/// </summary>
internal sealed class BaaRegistration(PolicyProvider policies, IBaaRegistry registry, TimeProvider time)
{
    /// <summary>Records an agreement in force (a new one, or a renewal with new dates or document).</summary>
    public async Task<BaaChange> RecordAsync(PracticeContext practice, BaaRequest? request, string recordedBy, CancellationToken cancellationToken)
    {
        if (request?.Destination is null || !policies.TryGetPolicy(practice, out var policy) || policy.Destinations.All(d => d.Name != request.Destination))
        {
            return BaaChange.Invalid("'destination' must be a destination of the practice's policy.");
        }

        if (policy.Destinations.First(d => d.Name == request.Destination).Ads is not null)
        {
            // What an ad platform may receive is decided by the de-identified / authorized modes, never by a BAA.
            return BaaChange.Invalid("'destination' is an ad platform: ad platforms sign no BAA, and none is consulted for them (docs/destinations.md).");
        }

        if (request.EffectiveFrom is null || string.IsNullOrWhiteSpace(request.DocumentReference) || request.Covers is null || request.Covers.Count == 0)
        {
            return BaaChange.Invalid("'effectiveFrom', 'documentReference' and 'covers' (data classes) are required.");
        }

        if (request.ExpiresAt is { } expires && expires <= request.EffectiveFrom)
        {
            return BaaChange.Invalid("'expiresAt' must be after 'effectiveFrom'.");
        }

        DataClasses covers;
        try
        {
            covers = DataClassNames.Parse(request.Covers);
        }
        catch (FormatException)
        {
            return BaaChange.Invalid($"'covers' holds data classes: {string.Join(", ", DataClassNames.All)}.");
        }

        try
        {
            return BaaChange.Done(await registry.AppendAsync(new BaaRecord
            {
                PracticeId = practice.Id,
                Destination = request.Destination,
                Status = BaaStatus.Active,
                EffectiveFrom = request.EffectiveFrom.Value,
                ExpiresAt = request.ExpiresAt,
                DocumentReference = request.DocumentReference,
                Covers = covers,
                RecordedAt = time.GetUtcNow(),
                RecordedBy = recordedBy,
            }, cancellationToken));
        }
        catch (StoreUnavailableException)
        {
            return BaaChange.Unavailable();
        }
    }

    /// <summary>Ends the destination's current agreement now (a terminated record; the flow stops at once).</summary>
    public async Task<BaaChange> TerminateAsync(PracticeContext practice, string destination, string? documentReference, string recordedBy, CancellationToken cancellationToken)
    {
        try
        {
            var current = (await registry.CurrentAsync(practice.Id, cancellationToken)).FirstOrDefault(b => b.Destination == destination);
            if (current is null)
            {
                return new BaaChange(null, StatusCodes.Status404NotFound, "unknown-baa", "No BAA is recorded for this destination.");
            }

            var now = time.GetUtcNow();
            return BaaChange.Done(await registry.AppendAsync(current with
            {
                Id = 0,
                Status = BaaStatus.Terminated,
                ExpiresAt = now,
                DocumentReference = string.IsNullOrWhiteSpace(documentReference) ? current.DocumentReference : documentReference,
                RecordedAt = now,
                RecordedBy = recordedBy,
            }, cancellationToken));
        }
        catch (StoreUnavailableException)
        {
            return BaaChange.Unavailable();
        }
    }
}

/// <summary>The stored record, or why nothing was recorded (an HTTP status, a problem type and a detail without values).</summary>
internal sealed record BaaChange(BaaRecord? Record, int Status, string? ProblemType, string? Detail)
{
    public static BaaChange Done(BaaRecord record) => new(record, StatusCodes.Status200OK, null, null);

    public static BaaChange Invalid(string detail) => new(null, StatusCodes.Status400BadRequest, "invalid-request", detail);

    public static BaaChange Unavailable() => new(null, StatusCodes.Status503ServiceUnavailable, "unavailable", "The BAA store is unavailable; nothing was recorded.");
}
