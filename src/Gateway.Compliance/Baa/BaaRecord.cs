using Gateway.Compliance.Classification;

namespace Gateway.Compliance.Baa;

/// <summary>Whether a BAA record puts an agreement in force or ends it.</summary>
public enum BaaStatus
{
    Active,
    Terminated,
}

/// <summary>
/// One entry of the append-only BAA registry, per practice and destination: the agreement's dates, the
/// signed document's reference and the data classes it covers. The current agreement is the latest record
/// for the destination; a termination is a new record.
/// </summary>
public sealed record BaaRecord
{
    public long Id { get; init; }

    public required string PracticeId { get; init; }

    /// <summary>The policy destination name (e.g. <c>scoring</c>).</summary>
    public required string Destination { get; init; }

    public required BaaStatus Status { get; init; }

    public required DateTimeOffset EffectiveFrom { get; init; }

    /// <summary>When the agreement ends; the flow stops at this instant. Null for no end date.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Where the signed document is kept (a contract id or a document-system URL), not the document.</summary>
    public required string DocumentReference { get; init; }

    /// <summary>The PHI classes the agreement covers.</summary>
    public required DataClasses Covers { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    public string? RecordedBy { get; init; }

    /// <summary>True when the agreement is in force at <paramref name="now"/>.</summary>
    public bool InForceAt(DateTimeOffset now) =>
        Status == BaaStatus.Active && EffectiveFrom <= now && (ExpiresAt is null || now < ExpiresAt);
}
