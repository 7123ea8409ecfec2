using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;

namespace Gateway.Compliance.Secrets;

/// <summary>
/// A secret file encrypted at rest: a CMS EnvelopedCms (AES-256-CBC content key, wrapped with RSA-OAEP-SHA256
/// for the Data Protection certificate) in a PEM block labelled <c>GATEWAY ENCRYPTED SECRET</c>. The plaintext
/// is exactly what the plain secret file would hold (the base64 secret), so both forms are read the same way
/// once decrypted. Whoever reads the file without the certificate's private key learns nothing; the gateway
/// decrypts it at start. Errors name what is wrong, never key material or plaintext.
/// </summary>
public static class EncryptedSecret
{
    public const string Label = "GATEWAY ENCRYPTED SECRET";

    public const string Header = "-----BEGIN " + Label + "-----";

    private static readonly Oid s_aes256Cbc = new("2.16.840.1.101.3.4.1.42");

    /// <summary>True when the file content is an encrypted secret (rather than a plain one).</summary>
    public static bool IsEncrypted(string content) => content.TrimStart().StartsWith(Header, StringComparison.Ordinal);

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="recipient"/> (an RSA certificate; its private key is not needed).</summary>
    public static string Encrypt(ReadOnlySpan<byte> plaintext, X509Certificate2 recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (recipient.GetRSAPublicKey() is not { } rsa)
        {
            throw new EncryptedSecretException("the certificate does not have an RSA key");
        }

        rsa.Dispose();
        var cms = new EnvelopedCms(new ContentInfo(plaintext.ToArray()), new AlgorithmIdentifier(s_aes256Cbc));
        cms.Encrypt(new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, recipient, RSAEncryptionPadding.OaepSHA256));
        return new string(PemEncoding.Write(Label, cms.Encode())) + "\n";
    }

    /// <summary>
    /// Decrypts an encrypted secret with whichever of <paramref name="certificates"/> (with private keys) it was
    /// encrypted for: the current Data Protection certificate or a retired one.
    /// </summary>
    public static byte[] Decrypt(string content, IReadOnlyCollection<X509Certificate2> certificates)
    {
        if (!PemEncoding.TryFind(content, out var fields) || !content.AsSpan()[fields.Label].SequenceEqual(Label))
        {
            throw new EncryptedSecretException($"it is not a '{Label}' PEM block");
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(content.AsSpan()[fields.Base64Data], der, out var length))
        {
            throw new EncryptedSecretException("its PEM body is not base64");
        }

        var cms = new EnvelopedCms();
        try
        {
            cms.Decode(der.AsSpan(0, length));
        }
        catch (CryptographicException)
        {
            throw new EncryptedSecretException("it is not a CMS enveloped message");
        }

        foreach (RecipientInfo recipient in cms.RecipientInfos)
        {
            foreach (var certificate in certificates)
            {
                if (!Matches(recipient.RecipientIdentifier, certificate))
                {
                    continue;
                }

                using var key = certificate.GetRSAPrivateKey() ?? throw new EncryptedSecretException("the matching certificate has no RSA private key");
                try
                {
                    cms.Decrypt(recipient, key);
                }
                catch (CryptographicException)
                {
                    throw new EncryptedSecretException("it could not be decrypted with the matching certificate's key (damaged, or the key does not belong to the certificate)");
                }

                return cms.ContentInfo.Content;
            }
        }

        throw new EncryptedSecretException(certificates.Count == 0
            ? "no certificate is configured to decrypt it"
            : "it was encrypted for another certificate than the ones configured");
    }

    /// <summary>Reads a secret file: plain text as is, an encrypted secret decrypted; both trimmed.</summary>
    public static string ReadText(string content, IReadOnlyCollection<X509Certificate2> certificates) =>
        IsEncrypted(content) ? Encoding.UTF8.GetString(Decrypt(content, certificates)).Trim() : content.Trim();

    private static bool Matches(SubjectIdentifier identifier, X509Certificate2 certificate) => identifier.Type switch
    {
        SubjectIdentifierType.IssuerAndSerialNumber when identifier.Value is X509IssuerSerial issuerSerial =>
            string.Equals(issuerSerial.IssuerName, certificate.Issuer, StringComparison.Ordinal)
            && string.Equals(issuerSerial.SerialNumber, certificate.SerialNumber, StringComparison.OrdinalIgnoreCase),
        SubjectIdentifierType.SubjectKeyIdentifier when identifier.Value is string ski =>
            certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any(e => string.Equals(e.SubjectKeyIdentifier, ski, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };
}

/// <summary>An encrypted secret could not be read; the message says why, never what it holds.</summary>
public sealed class EncryptedSecretException(string reason) : Exception($"The encrypted secret cannot be read: {reason}.")
{
    public string Reason { get; } = reason;
}
