namespace Gateway.Server.Admin;

/// <summary>Names a person as the practice's systems know them; the gateway turns it into pseudonyms and keeps nothing else.</summary>
internal sealed record SubjectReference(string? UserId, string? AnonymousId, string? Subject);

internal sealed record ConsentRequest(
    SubjectReference? Person,
    string? Purpose,
    string? Decision,
    string? SourceReference,
    string? DisclosureText,
    string? DisclosureSha256,
    DateTimeOffset? ExpiresAt);

internal sealed record BaaRequest(
    string? Destination,
    DateTimeOffset? EffectiveFrom,
    DateTimeOffset? ExpiresAt,
    string? DocumentReference,
    IReadOnlyList<string>? Covers);

internal sealed record BaaTerminationRequest(string? DocumentReference);
