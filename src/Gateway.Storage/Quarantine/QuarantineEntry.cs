namespace Gateway.Storage.Quarantine;

/// <summary>
/// An event that failed its schema, kept so an authorized person can inspect and replay it once the
/// schema or policy is fixed. The event is stored only encrypted (ASP.NET Core Data Protection); the
/// violations (paths and rules) are stored in clear because they hold no values.
/// </summary>
public sealed record QuarantineEntry
{
    public long Id { get; init; }

    public required string PracticeId { get; init; }

    public required string Vertical { get; init; }

    /// <summary>The forwarded-form message id (a pseudonym), so a replay keeps the event's identity.</summary>
    public required string MessageId { get; init; }

    /// <summary>The single-event endpoint's implied type (<c>track</c>, ...), or null for a batch item.</summary>
    public string? EndpointType { get; init; }

    public required string Reason { get; init; }

    /// <summary>JSON array of {path, rule}.</summary>
    public required string Violations { get; init; }

    /// <summary>The raw event, protected with the gateway's Data Protection key ring.</summary>
    public required string ProtectedEvent { get; init; }

    public required DateTimeOffset QuarantinedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? ReplayedAt { get; init; }

    public string? ReplayOutcome { get; init; }
}
