using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Compliance.Secrets;

/// <summary>
/// Loads the Data Protection certificate (and retired ones) from PEM files: the certificate and its private
/// key, which must be RSA (XML encryption of the key ring and CMS key transport both need RSA) and must belong
/// to the certificate. Problems are reported as messages naming the files, never key material.
/// </summary>
public static class CertificateFiles
{
    /// <summary>Loads a certificate with its private key; null with <paramref name="error"/> set when it cannot be used.</summary>
    public static X509Certificate2? TryLoad(string certificatePath, string keyPath, out string? error)
    {
        error = null;
        if (!File.Exists(certificatePath))
        {
            error = $"the certificate file '{certificatePath}' does not exist";
            return null;
        }

        if (!File.Exists(keyPath))
        {
            error = $"the private key file '{keyPath}' does not exist";
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (CryptographicException)
        {
            error = $"'{certificatePath}' and '{keyPath}' are not a PEM certificate and its matching PEM private key";
            return null;
        }
        catch (ArgumentException)
        {
            error = $"the private key in '{keyPath}' does not belong to the certificate in '{certificatePath}'";
            return null;
        }

        if (!certificate.HasPrivateKey)
        {
            error = $"the certificate '{certificatePath}' has no private key";
            certificate.Dispose();
            return null;
        }

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            error = $"the certificate '{certificatePath}' must have an RSA key (Data Protection's XML encryption and CMS need RSA)";
            certificate.Dispose();
            return null;
        }

        return certificate;
    }

    /// <summary>Loads a PEM certificate (public part only), for encrypting to it.</summary>
    public static X509Certificate2 LoadPublic(string certificatePath) => X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
}
