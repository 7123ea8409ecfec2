using System.Security.Cryptography;

namespace Gateway.Compliance.Audit;

/// <summary>Key ids and file conventions shared by the checkpoint signer (gateway) and verifier (gatewayctl).</summary>
public static class AuditCheckpointKeys
{
    /// <summary>The first 16 hex characters of the SHA-256 of the key's SubjectPublicKeyInfo (DER).</summary>
    public static string KeyIdOf(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    /// <summary>Where the public key of a signing key file is written: <c>name.pem</c> becomes <c>name.pub.pem</c>.</summary>
    public static string PublicKeyPathFor(string signingKeyFile)
    {
        var directory = Path.GetDirectoryName(signingKeyFile) ?? string.Empty;
        var name = Path.GetFileName(signingKeyFile);
        var stem = name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return Path.Combine(directory, stem + ".pub.pem");
    }
}
