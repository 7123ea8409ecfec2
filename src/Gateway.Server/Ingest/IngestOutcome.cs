using Gateway.Compliance.Processing;

namespace Gateway.Server.Ingest;

/// <summary>What became of a request's events: a request-level failure, or per-event results.</summary>
internal sealed record IngestOutcome
{
    /// <summary>Set when nothing may be acknowledged (audit, stores or keys unavailable): the client must retry.</summary>
    public IngestFailure? Failure { get; init; }

    public int Total { get; init; }

    /// <summary>Events delivered to every destination that took them.</summary>
    public int Delivered { get; init; }

    /// <summary>Events held durably in the outbox for later delivery.</summary>
    public int Queued { get; init; }

    /// <summary>Events deliberately not sent (policy, consent, BAA).</summary>
    public int Dropped { get; init; }

    /// <summary>Permanently invalid events, with their quarantine ids when they were kept.</summary>
    public IReadOnlyList<(EventResult Result, long? QuarantineId)> Rejected { get; init; } = [];

    public static IngestOutcome Failed(IngestFailure failure) => new() { Failure = failure };
}
