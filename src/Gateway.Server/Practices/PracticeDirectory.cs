using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Gateway.Compliance.Destinations;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Pseudonyms;
using Gateway.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Practices;

/// <summary>
/// The configured practices, built once at start: write key hashes to practices, and each practice's
/// pseudonym key ring (secret files plain or encrypted to the Data Protection certificate). Write keys are only ever compared as SHA-256 hashes; the gateway never stores one.
/// </summary>
internal sealed class PracticeDirectory : IDisposable
{
    private readonly FrozenDictionary<string, PracticeContext> _byWriteKeyHash;
    private readonly FrozenDictionary<string, PracticeContext> _byId;

    public PracticeDirectory(IOptions<GatewayOptions> options, DataProtectionCertificates certificates)
    {
        var byHash = new Dictionary<string, PracticeContext>(StringComparer.Ordinal);
        var byId = new Dictionary<string, PracticeContext>(StringComparer.Ordinal);
        foreach (var practice in options.Value.Practices)
        {
            var keys = practice.PseudonymKeys
                .OrderByDescending(k => k.Active)
                .Select(k =>
                {
                    var secret = SecretReader.Read(k.Secret, k.SecretFile, ServiceHost.WorkingDirectory, certificates.All)
                        ?? throw new InvalidOperationException($"Practice '{practice.Id}': pseudonym key '{k.Id}' has no secret.");
                    return new PseudonymKey(k.Id, Convert.FromBase64String(secret), practice.Id,
                        k.Unscoped ? PseudonymDerivation.Unscoped : PseudonymDerivation.PracticeScoped);
                })
                .ToList();
            var context = new PracticeContext(practice.Id, practice.Vertical, new PseudonymKeyRing(keys[0], keys.Skip(1)), practice.ServiceArea,
                practice.Domains, practice.Values, practice.Platforms.ToDictionary(p => p.Key, p => new PlatformAccount
                {
                    PixelId = p.Value.PixelId,
                    TestEventCode = p.Value.TestEventCode,
                    CustomerId = p.Value.CustomerId?.Replace("-", string.Empty, StringComparison.Ordinal),
                    ConversionActions = p.Value.ConversionActions.ToDictionary(StringComparer.Ordinal),
                }, StringComparer.Ordinal));
            byId.Add(practice.Id, context);
            foreach (var hash in practice.WriteKeySha256)
            {
                byHash.Add(hash, context);
            }
        }

        _byWriteKeyHash = byHash.ToFrozenDictionary(StringComparer.Ordinal);
        _byId = byId.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<PracticeContext> All => _byId.Values;

    public bool TryGet(string practiceId, out PracticeContext practice) => _byId.TryGetValue(practiceId, out practice!);

    /// <summary>Finds the practice a write key belongs to, by the key's SHA-256.</summary>
    public bool TryAuthenticate(ReadOnlySpan<char> writeKey, out PracticeContext practice)
    {
        practice = null!;
        if (writeKey.IsEmpty || writeKey.Length > 256)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(writeKey.Length)];
        var count = Encoding.UTF8.GetBytes(writeKey, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..count], hash);
        return _byWriteKeyHash.TryGetValue(Convert.ToHexStringLower(hash), out practice!);
    }

    /// <summary>The lower-case hex SHA-256 of a write key: what goes in configuration.</summary>
    public static string HashWriteKey(string writeKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(writeKey)));

    public void Dispose()
    {
        foreach (var practice in _byId.Values)
        {
            practice.Keys.Dispose();
        }
    }
}
