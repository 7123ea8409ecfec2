using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Signs chain heads with the instance's own ECDSA P-256 key (SHA-256), so that a checkpoint stored
/// apart from the audit files proves how long the chain was: cutting records off the end, which a hash
/// chain alone cannot show, then contradicts a signature nobody without the key can make.
/// </summary>
public sealed class AuditCheckpointSigner : IDisposable
{
    private readonly ECDsa _key;

    private AuditCheckpointSigner(ECDsa key)
    {
        _key = key;
        KeyId = AuditCheckpointKeys.KeyIdOf(key);
    }

    /// <summary>The first 16 hex characters of the SHA-256 of the public key (SubjectPublicKeyInfo).</summary>
    public string KeyId { get; }

    /// <summary>A new random P-256 key.</summary>
    public static AuditCheckpointSigner Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads a PKCS#8 PEM private key (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public static AuditCheckpointSigner FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException("The checkpoint signing key must be an ECDSA P-256 key.");
            }

            // A public-only key cannot sign: fail at load, not at the first checkpoint.
            key.ExportECPrivateKey();
            return new AuditCheckpointSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the signing key from <paramref name="keyFile"/>, or creates it (owner-only permissions) and
    /// writes its public key to <see cref="AuditCheckpointKeys.PublicKeyPathFor"/> when the file is missing.
    /// </summary>
    public static AuditCheckpointSigner LoadOrCreate(string keyFile, out bool created)
    {
        if (File.Exists(keyFile))
        {
            created = false;
            return FromPem(File.ReadAllText(keyFile));
        }

        var signer = Create();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(keyFile, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(signer.ExportPrivateKeyPem());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.WriteAllText(AuditCheckpointKeys.PublicKeyPathFor(keyFile), signer.ExportPublicKeyPem());
        created = true;
        return signer;
    }

    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem() + "\n";

    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem() + "\n";

    /// <summary>Signs that <paramref name="instance"/>'s chain held <paramref name="head"/> at <paramref name="time"/>.</summary>
    public AuditCheckpoint Sign(string instance, AuditChainState head, DateTimeOffset time)
    {
        time = time.ToUniversalTime();
        var signature = _key.SignData(CanonicalBytes(instance, head.Count, head.HeadHash, time), HashAlgorithmName.SHA256);
        return new AuditCheckpoint(instance, head.Count, head.HeadHash, time, KeyId, Convert.ToBase64String(signature));
    }

    /// <summary>
    /// The bytes a checkpoint signature covers:
    /// <c>gateway-audit-checkpoint/v1\n{instance}\n{count}\n{headHash}\n{time:O}</c> (time in UTC).
    /// The prefix keeps the signature from being valid for anything else the key might ever sign.
    /// </summary>
    public static byte[] CanonicalBytes(string instance, long count, string headHash, DateTimeOffset time) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"gateway-audit-checkpoint/v1\n{instance}\n{count}\n{headHash}\n{time.ToUniversalTime():O}"));

    public void Dispose() => _key.Dispose();
}
