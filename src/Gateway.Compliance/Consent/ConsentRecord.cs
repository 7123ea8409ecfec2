namespace Gateway.Compliance.Consent;

/// <summary>Grant or revoke.</summary>
public enum ConsentDecision
{
    Granted,
    Revoked,
}

/// <summary>Where a consent record came from.</summary>
public static class ConsentSources
{
    /// <summary>Recorded through the admin API (a practice's form or CRM).</summary>
    public const string Api = "api";

    /// <summary>Segment's <c>context.consent.categoryPreferences</c> on an event.</summary>
    public const string Event = "event";

    /// <summary>An SMS reply keyword (STOP, QUIT, ...).</summary>
    public const string Sms = "sms";

    /// <summary>A revocation received by phone, recorded by an admin in the compliance console.</summary>
    public const string Phone = "phone";

    /// <summary>A revocation received by letter or email, recorded by an admin in the compliance console.</summary>
    public const string Letter = "letter";
}

/// <summary>
/// One entry of the append-only consent ledger: a subject's grant or revocation of one purpose. A
/// revocation is a new record; history is never rewritten, and the current state is the latest record
/// per purpose. Subjects are pseudonyms; the disclosure text is kept only as its SHA-256.
/// </summary>
public sealed record ConsentRecord
{
    /// <summary>Ledger id (0 until stored). Audit records cite it as the basis of a decision.</summary>
    public long Id { get; init; }

    public required string PracticeId { get; init; }

    /// <summary>The subject pseudonym (of the userId or anonymousId the events carry).</summary>
    public required string Subject { get; init; }

    public required string Purpose { get; init; }

    public required ConsentDecision Decision { get; init; }

    /// <summary><see cref="ConsentSources"/>.</summary>
    public required string Source { get; init; }

    /// <summary>The form id, channel or campaign it came through (never personal data).</summary>
    public string? SourceReference { get; init; }

    /// <summary>Lower-case hex SHA-256 of the disclosure text the person agreed to.</summary>
    public string? DisclosureSha256 { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>When a grant stops counting; null for no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Who recorded it: an admin key's name, or <c>gateway</c>.</summary>
    public string? RecordedBy { get; init; }

    /// <summary>True when this record grants the purpose at <paramref name="now"/>.</summary>
    public bool GrantsAt(DateTimeOffset now) => Decision == ConsentDecision.Granted && (ExpiresAt is null || now < ExpiresAt);
}
