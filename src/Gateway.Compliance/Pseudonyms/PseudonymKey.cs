using System.Security.Cryptography;

namespace Gateway.Compliance.Pseudonyms;

/// <summary>
/// One practice's HMAC-SHA256 secret and its id. The id prefixes every pseudonym so that a rotated key
/// never collides with, and never silently correlates to, pseudonyms made with an earlier key.
/// </summary>
public sealed class PseudonymKey : IDisposable
{
    /// <summary>Secrets shorter than this are refused: HMAC-SHA256 wants at least 256 bits of key.</summary>
    public const int MinimumSecretBytes = 32;

    private readonly byte[] _secret;
    private readonly ThreadLocal<IncrementalHash> _hmac;

    public PseudonymKey(string id, byte[] secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(secret);
        if (!IsValidId(id))
        {
            throw new ArgumentException("A pseudonym key id is 1-32 characters of [A-Za-z0-9_-].", nameof(id));
        }

        if (secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"A pseudonym secret must be at least {MinimumSecretBytes} bytes.", nameof(secret));
        }

        Id = id;
        _secret = (byte[])secret.Clone();
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret), trackAllValues: true);
    }

    /// <summary>The key id written before every pseudonym (never the secret).</summary>
    public string Id { get; }

    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= 32 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Computes HMAC-SHA256 of <paramref name="data"/> with a per-thread reused instance.</summary>
    internal void ComputeHmac(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hmac = _hmac.Value!;
        hmac.AppendData(data);
        hmac.GetHashAndReset(destination);
    }

    public void Dispose()
    {
        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }

        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_secret);
    }
}
