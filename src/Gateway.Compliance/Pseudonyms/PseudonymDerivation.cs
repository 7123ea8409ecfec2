namespace Gateway.Compliance.Pseudonyms;

/// <summary>How a pseudonym key turns its secret into the HMAC key that makes pseudonyms.</summary>
public enum PseudonymDerivation
{
    /// <summary>
    /// The default: the HMAC key is HMAC-SHA256(secret, <c>"gw-pseudonym-v2" 0x00 practiceId 0x00 keyId</c>), so the
    /// same secret configured for two practices (or under two key ids) still yields unrelated pseudonyms.
    /// </summary>
    PracticeScoped,

    /// <summary>
    /// The secret itself is the HMAC key, as before practice scoping. Only for a retired key whose pseudonyms are
    /// already stored elsewhere, so that an accounting of disclosures still finds them; never for the active key.
    /// </summary>
    Unscoped,
}
