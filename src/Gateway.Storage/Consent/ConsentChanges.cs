namespace Gateway.Storage.Consent;

/// <summary>
/// A read of a practice's consent change feed: its current <paramref name="Version"/>, and the pseudonymous subjects
/// whose records were appended since the version the reader asked from (see <see cref="RelationalConsentLedger.ChangesAsync"/>).
/// </summary>
public sealed record ConsentChanges(long Version, IReadOnlyCollection<string> Subjects);
