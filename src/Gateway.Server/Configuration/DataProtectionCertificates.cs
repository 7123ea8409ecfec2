using System.Security.Cryptography.X509Certificates;
using Gateway.Compliance.Secrets;

namespace Gateway.Server.Configuration;

/// <summary>
/// The Data Protection certificate and the retired ones, loaded once from their PEM files. The current one
/// encrypts the key ring at rest; all of them decrypt it and decrypt encrypted secret files, so a certificate
/// rotation keeps old keys and secrets readable.
/// </summary>
internal sealed class DataProtectionCertificates : IDisposable
{
    private DataProtectionCertificates(X509Certificate2? current, IReadOnlyList<X509Certificate2> all)
    {
        Current = current;
        All = all;
    }

    public X509Certificate2? Current { get; }

    /// <summary>The current certificate first, then the retired ones.</summary>
    public IReadOnlyList<X509Certificate2> All { get; }

    /// <summary>Loads what is configured; each problem is added to <paramref name="errors"/> naming the setting.</summary>
    public static DataProtectionCertificates Load(DataProtectionOptions options, string contentRoot, ICollection<string> errors)
    {
        var all = new List<X509Certificate2>();
        var current = LoadOne(options.CertificatePath, options.CertificateKeyPath, "Gateway:DataProtection", contentRoot, errors);
        if (current is not null)
        {
            all.Add(current);
        }

        for (var i = 0; i < options.RetiredCertificates.Count; i++)
        {
            var retired = options.RetiredCertificates[i];
            var at = $"Gateway:DataProtection:RetiredCertificates:{i}";
            if (string.IsNullOrWhiteSpace(retired.CertificatePath) || string.IsNullOrWhiteSpace(retired.CertificateKeyPath))
            {
                errors.Add($"{at}: set both CertificatePath and CertificateKeyPath.");
                continue;
            }

            if (LoadOne(retired.CertificatePath, retired.CertificateKeyPath, at, contentRoot, errors) is { } certificate)
            {
                all.Add(certificate);
            }
        }

        return new DataProtectionCertificates(current, all);
    }

    public void Dispose()
    {
        foreach (var certificate in All)
        {
            certificate.Dispose();
        }
    }

    private static X509Certificate2? LoadOne(string? certificatePath, string? keyPath, string at, string contentRoot, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(certificatePath) && string.IsNullOrWhiteSpace(keyPath))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(certificatePath) || string.IsNullOrWhiteSpace(keyPath))
        {
            errors.Add($"{at}: set both CertificatePath and CertificateKeyPath (the PEM certificate and its PEM private key).");
            return null;
        }

        var certificate = CertificateFiles.TryLoad(Resolve(certificatePath, contentRoot), Resolve(keyPath, contentRoot), out var error);
        if (certificate is null)
        {
            errors.Add($"{at}: {error}.");
        }

        return certificate;
    }

    private static string Resolve(string path, string contentRoot) => Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
}
