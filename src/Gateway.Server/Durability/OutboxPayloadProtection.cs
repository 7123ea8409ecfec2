using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Server.Durability;

/// <summary>
/// Encrypts the scrubbed events the outbox keeps (they are still PHI: pseudonyms, tokens, generalized values) with
/// Data Protection under an outbox purpose per practice, like the quarantine, so neither the database file, its free
/// pages, its backups nor a PostgreSQL dump hold them readable. A stored payload starts with a marker; a payload
/// without it was queued before encryption and is delivered as it is.
/// </summary>
internal sealed class OutboxPayloadProtection(IDataProtectionProvider protection, KeyRingGuard keyRing)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IDataProtector> _protectors = new(StringComparer.Ordinal);

    public const string Purpose = "Gateway.Outbox.v1";

    /// <summary>Starts every protected payload; a JSON event never starts with a NUL byte.</summary>
    private static ReadOnlySpan<byte> Marker => "\0gw-outbox-v1\0"u8;

    /// <summary>
    /// The stored forms of a practice's scrubbed events, in order. The key ring is checked once for the batch. Throws
    /// <see cref="KeyRingUnavailableException"/> when it is gone.
    /// </summary>
    public byte[][] Protect(string practiceId, IReadOnlyList<ReadOnlyMemory<byte>> scrubbed)
    {
        keyRing.EnsureAvailable();
        var protector = Protector(practiceId);
        var stored = new byte[scrubbed.Count][];
        for (var i = 0; i < stored.Length; i++)
        {
            var sealedBytes = protector.Protect(scrubbed[i].ToArray());
            stored[i] = new byte[Marker.Length + sealedBytes.Length];
            Marker.CopyTo(stored[i]);
            sealedBytes.CopyTo(stored[i].AsSpan(Marker.Length));
        }

        return stored;
    }

    /// <summary>The scrubbed event of a stored payload. Throws <see cref="CryptographicException"/> when it cannot be
    /// decrypted (its key was deleted, or it belongs to another practice) and <see cref="KeyRingUnavailableException"/>
    /// when the key ring is gone.</summary>
    public byte[] Unprotect(string practiceId, byte[] stored)
    {
        if (!IsProtected(stored))
        {
            return stored;
        }

        keyRing.EnsureAvailable();
        return Protector(practiceId).Unprotect(stored[Marker.Length..]);
    }

    public static bool IsProtected(ReadOnlySpan<byte> stored) => stored.StartsWith(Marker);

    private IDataProtector Protector(string practiceId) => _protectors.GetOrAdd(practiceId, id => protection.CreateProtector(Purpose, id));
}
