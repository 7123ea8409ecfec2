using System.Security.Cryptography;
using System.Text;

namespace Gateway.Compliance.Pseudonyms;

/// <summary>
/// One practice's HMAC-SHA256 secret and its id. The id prefixes every pseudonym so that a rotated key
/// never collides with, and never silently correlates to, pseudonyms made with an earlier key. The HMAC key is
/// derived from the secret, the practice id and the key id (<see cref="PseudonymDerivation.PracticeScoped"/>), so two
/// practices never share pseudonyms even if an operator gives them the same secret.
/// </summary>
public sealed class PseudonymKey : IDisposable
{
    /// <summary>Secrets shorter than this are refused: HMAC-SHA256 wants at least 256 bits of key.</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>The label that starts the derivation input of a practice-scoped key.</summary>
    public const string DerivationLabel = "gw-pseudonym-v2";

    private readonly byte[] _secret;
    private readonly byte[] _hmacKey;
    private readonly ThreadLocal<IncrementalHash> _hmac;

    /// <param name="id">The key id written before each pseudonym.</param>
    /// <param name="secret">The secret (at least <see cref="MinimumSecretBytes"/> bytes); copied.</param>
    /// <param name="practiceId">The practice the key belongs to; part of the derivation.</param>
    /// <param name="derivation">How the HMAC key is derived; <see cref="PseudonymDerivation.Unscoped"/> only for legacy retired keys.</param>
    public PseudonymKey(string id, byte[] secret, string practiceId, PseudonymDerivation derivation = PseudonymDerivation.PracticeScoped)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrWhiteSpace(practiceId);
        if (!IsValidId(id))
        {
            throw new ArgumentException("A pseudonym key id is 1-32 characters of [A-Za-z0-9_-].", nameof(id));
        }

        if (secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"A pseudonym secret must be at least {MinimumSecretBytes} bytes.", nameof(secret));
        }

        Id = id;
        PracticeId = practiceId;
        Derivation = derivation;
        _secret = (byte[])secret.Clone();
        _hmacKey = derivation switch
        {
            PseudonymDerivation.PracticeScoped => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes($"{DerivationLabel}\0{practiceId}\0{id}")),
            PseudonymDerivation.Unscoped => _secret,
            _ => throw new ArgumentOutOfRangeException(nameof(derivation)),
        };
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _hmacKey), trackAllValues: true);
    }

    /// <summary>The key id written before every pseudonym (never the secret).</summary>
    public string Id { get; }

    /// <summary>The practice whose pseudonyms the key makes.</summary>
    public string PracticeId { get; }

    public PseudonymDerivation Derivation { get; }


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
        CryptographicOperations.ZeroMemory(_hmacKey);
        CryptographicOperations.ZeroMemory(_secret);
    }
}
