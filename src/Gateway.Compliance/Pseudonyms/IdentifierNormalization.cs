namespace Gateway.Compliance.Pseudonyms;

/// <summary>
/// How an identifier is normalized before it is pseudonymized, so that the same person yields the
/// same pseudonym however a form spelled their email or phone.
/// </summary>
public enum IdentifierNormalization
{
    /// <summary>Trimmed only. Used for <c>userId</c> and <c>anonymousId</c>, which are case-sensitive.</summary>
    Exact,

    /// <summary>Trimmed and lower-cased (invariant).</summary>
    Lower,

    /// <summary>Trimmed and lower-cased; the form every email field uses.</summary>
    Email,

    /// <summary>Digits only; a 10-digit North American number gets the country code 1.</summary>
    Phone,
}

/// <summary>Applies <see cref="IdentifierNormalization"/> into a caller-supplied buffer.</summary>
public static class IdentifierNormalizer
{
    /// <summary>Writes the normalized form of <paramref name="value"/> into <paramref name="destination"/>
    /// (at least <c>value.Length + 1</c> long) and returns its length.</summary>
    public static int Normalize(ReadOnlySpan<char> value, IdentifierNormalization normalization, Span<char> destination)
    {
        value = value.Trim();
        switch (normalization)
        {
            case IdentifierNormalization.Exact:
                value.CopyTo(destination);
                return value.Length;
            case IdentifierNormalization.Lower:
            case IdentifierNormalization.Email:
                return value.ToLowerInvariant(destination);
            case IdentifierNormalization.Phone:
                var n = 0;
                foreach (var c in value)
                {
                    if (char.IsAsciiDigit(c))
                    {
                        destination[n++] = c;
                    }
                }

                if (n == 10)
                {
                    destination[..10].CopyTo(destination[1..]);
                    destination[0] = '1';
                    n = 11;
                }

                return n;
            default:
                throw new ArgumentOutOfRangeException(nameof(normalization));
        }
    }
}
