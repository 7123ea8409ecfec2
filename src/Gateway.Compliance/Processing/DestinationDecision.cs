namespace Gateway.Compliance.Processing;

/// <summary>
/// Whether one event goes to one destination, and the basis for it: the consent ledger records and the
/// BAA record relied on (ids only, never values). Written into the event's audit record.
/// </summary>
public sealed record DestinationDecision
{
    public required string Destination { get; init; }

    /// <summary><c>forward</c>, <c>dropped</c> with a <see cref="Reason"/>, or <c>dry-run</c> (built and audited, not sent).</summary>
    public required string Outcome { get; init; }

    /// <summary>Why the event does not go there (<c>consent-missing</c>, <c>baa-missing</c>, ...); null when forwarded.</summary>
    public string? Reason { get; init; }

    /// <summary>The purposes the destination needs that were not granted (for <c>consent-missing</c>).</summary>
    public IReadOnlyList<string> MissingPurposes { get; init; } = [];

    /// <summary>The consent ledger records the decision relied on.</summary>
    public IReadOnlyList<long> ConsentRecordIds { get; init; } = [];

    /// <summary>The BAA record the decision relied on; null when no PHI was sent or no BAA was found.</summary>
    public long? BaaRecordId { get; init; }

    /// <summary>True when the event was reduced to de-identified fields because no BAA covers its PHI.</summary>
    public bool Deidentified { get; init; }

    /// <summary>For a reduced event: the policy paths whose values were withheld from this destination.</summary>
    public IReadOnlyList<string> Withheld { get; init; } = [];

    /// <summary>For an ad platform: <c>deidentified</c> or <c>authorized</c>, the form the platform was given.</summary>
    public string? Mode { get; init; }

    public const string Forward = "forward";
    public const string Dropped = "dropped";
    public const string DryRun = "dry-run";

    /// <summary>A decision that needs no consent or BAA check (used before those registries exist for a host).</summary>
    public static DestinationDecision Unconditional(string destination) => new() { Destination = destination, Outcome = Forward };
}
