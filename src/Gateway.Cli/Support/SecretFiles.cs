using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Compliance.Secrets;

namespace Gateway.Cli.Support;

/// <summary>Writes secret files owner-only (never over an existing file) and loads the certificate to encrypt them for.</summary>
internal static class SecretFiles
{
    /// <summary>The recipient certificate (its public key: the private key stays with the gateway).</summary>
    public static X509Certificate2 LoadRecipient(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The certificate file '{path}' does not exist.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = CertificateFiles.LoadPublic(path);
        }
        catch (CryptographicException)
        {
            throw new UsageException($"'{path}' is not a PEM certificate.");
        }

        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            certificate.Dispose();
            throw new UsageException($"The certificate '{path}' must have an RSA key (the Data Protection certificate).");
        }

        return certificate;
    }

    /// <summary>Creates <paramref name="path"/> with owner-only permissions; refuses to replace a file.</summary>
    public static void WriteNew(string path, string content)
    {
        if (File.Exists(path))
        {
            throw new UsageException($"'{path}' exists: secrets are never overwritten; choose another file (a new key id) or remove it first.");
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
