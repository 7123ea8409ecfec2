using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Gateway.Compliance.Pseudonyms;

/// <summary>
/// Makes keyed HMAC-SHA256 pseudonyms of the form <c>{keyId}:{base64url(first 128 bits)}</c>.
/// A pseudonym is derived from an identifier and so remains PHI (45 CFR 164.514(c)); it exists so the
/// scoring service can link one person's events without ever holding the identifier.
/// </summary>
public static class Pseudonymizer
{
    /// <summary>Bytes of the HMAC kept in a pseudonym (128 bits: collisions are out of reach).</summary>
    public const int PseudonymBytes = 16;

    private const int StackLimit = 256;

    /// <summary>Length of the encoded part after the colon.</summary>
    public static int EncodedLength => Base64Url.GetEncodedLength(PseudonymBytes);

    public static string Pseudonymize(PseudonymKey key, ReadOnlySpan<char> value, IdentifierNormalization normalization)
    {
        Span<char> buffer = stackalloc char[key.Id.Length + 1 + EncodedLength];
        var written = Pseudonymize(key, value, normalization, buffer);
        return new string(buffer[..written]);
    }

    /// <summary>Writes the pseudonym into <paramref name="destination"/> and returns its length.</summary>
    public static int Pseudonymize(PseudonymKey key, ReadOnlySpan<char> value, IdentifierNormalization normalization, Span<char> destination)
    {
        char[]? rentedChars = null;
        byte[]? rentedBytes = null;
        try
        {
            var normalized = value.Length + 2 <= StackLimit
                ? stackalloc char[StackLimit]
                : (rentedChars = ArrayPool<char>.Shared.Rent(value.Length + 2));
            var length = IdentifierNormalizer.Normalize(value, normalization, normalized);

            var maxBytes = Encoding.UTF8.GetMaxByteCount(length);
            var utf8 = maxBytes <= StackLimit * 3
                ? stackalloc byte[StackLimit * 3]
                : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
            var byteCount = Encoding.UTF8.GetBytes(normalized[..length], utf8);

            Span<byte> mac = stackalloc byte[32];
            key.ComputeHmac(utf8[..byteCount], mac);

            key.Id.AsSpan().CopyTo(destination);
            destination[key.Id.Length] = ':';
            var encoded = Base64Url.EncodeToChars(mac[..PseudonymBytes], destination[(key.Id.Length + 1)..]);
            return key.Id.Length + 1 + encoded;
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }
        }
    }

    /// <summary>Every pseudonym the ring could have produced for a value (active and retired keys), for search.</summary>
    public static IReadOnlyList<string> Candidates(PseudonymKeyRing ring, ReadOnlySpan<char> value, IdentifierNormalization normalization)
    {
        var result = new List<string>(ring.All.Count);
        foreach (var key in ring.All)
        {
            result.Add(Pseudonymize(key, value, normalization));
        }

        return result;
    }
}
