namespace Gateway.Compliance.Pseudonyms;

/// <summary>The kind of raw identifier a compliance officer searches by.</summary>
public enum SubjectIdentifierKind
{
    Email,
    Phone,
    UserId,
    AnonymousId,
}

/// <summary>
/// The pseudonyms a person's events may carry as their <c>subject</c>, computed locally from a raw identifier
/// with every key of the practice's ring (active and retired), so records from before a key rotation are
/// found too. Audit records hold only the subject pseudonym of <c>userId</c> (else <c>anonymousId</c>),
/// pseudonymized exactly as sent: an email or phone finds events only where the practice uses it as the
/// user id. Both the normalized form and the form as typed (trimmed) are tried for those.
/// </summary>
public static class SubjectPseudonyms
{
    public static IReadOnlyList<string> Candidates(PseudonymKeyRing ring, SubjectIdentifierKind kind, ReadOnlySpan<char> identifier)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var result = new List<string>();
        void Add(IEnumerable<string> values)
        {
            foreach (var value in values)
            {
                if (!result.Contains(value))
                {
                    result.Add(value);
                }
            }
        }

        switch (kind)
        {
            case SubjectIdentifierKind.Email:
                Add(Pseudonymizer.Candidates(ring, identifier, IdentifierNormalization.Email));
                break;
            case SubjectIdentifierKind.Phone:
                Add(Pseudonymizer.Candidates(ring, identifier, IdentifierNormalization.Phone));
                break;
        }

        Add(Pseudonymizer.Candidates(ring, identifier, IdentifierNormalization.Exact));
        return result;
    }
}
