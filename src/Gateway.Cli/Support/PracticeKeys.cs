using System.Security.Cryptography.X509Certificates;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Secrets;
using Microsoft.Extensions.Configuration;

namespace Gateway.Cli.Support;

/// <summary>
/// Reads one practice's pseudonym keys (active and retired) the way the gateway does: Microsoft.Extensions.Configuration
/// over the configuration file and environment variables (<c>Gateway__Practices__0__PseudonymKeys__1__Secret</c>
/// overrides the file), bound to the same shape as the gateway's <c>Gateway:Practices</c>. A practice keys file has
/// <c>Practices</c> (and <c>DataProtection</c>) at the top level instead, with environment variables
/// <c>Practices__...</c>. <c>SecretFile</c>s are relative to the file's folder. Secret files encrypted to the Data
/// Protection certificate are decrypted with the certificates the same settings configure
/// (<c>DataProtection:CertificatePath</c>/<c>CertificateKeyPath</c> and <c>RetiredCertificates</c>). Secrets are never printed.
/// </summary>
internal static class PracticeKeys
{
    public static PseudonymKeyRing Load(string configPath, string practiceId)
    {
        if (!File.Exists(configPath))
        {
            throw new UsageException($"The configuration file '{configPath}' does not exist.");
        }

        var path = Path.GetFullPath(configPath);
        var folder = Path.GetDirectoryName(path)!;
        IConfiguration settings;
        try
        {
            var file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
            IConfiguration configuration = new ConfigurationBuilder().AddConfiguration(file).AddEnvironmentVariables().Build();
            settings = file.GetSection("Gateway").Exists() ? configuration.GetSection("Gateway") : configuration;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new UsageException($"'{configPath}' is not valid JSON.");
        }

        var practices = settings.GetSection("Practices").Get<List<PracticeSettings>>()
            ?? throw new UsageException($"'{configPath}' has no Gateway:Practices (or Practices) list.");
        var practice = practices.FirstOrDefault(p => p.Id == practiceId)
            ?? throw new UsageException($"The practice '{practiceId}' is not configured in '{configPath}'.");
        using var certificates = new CertificateList(() => LoadCertificates(settings.GetSection("DataProtection").Get<DataProtectionSettings>(), folder));
        return Ring(practice, folder, certificates);
    }

    private static PseudonymKeyRing Ring(PracticeSettings practice, string folder, CertificateList certificates)
    {
        var practiceId = practice.Id;
        if (practice.PseudonymKeys is not { Count: > 0 } keys)
        {
            throw new UsageException($"The practice '{practiceId}' has no PseudonymKeys.");
        }

        var ring = new List<(PseudonymKey Key, bool Active)>();
        try
        {
            foreach (var key in keys)
            {
                var id = key.Id ?? throw new UsageException($"A pseudonym key of practice '{practiceId}' has no Id.");
                var secret = ReadSecret(key.Secret, key.SecretFile, folder, certificates, id)
                    ?? throw new UsageException($"Pseudonym key '{id}' of practice '{practiceId}' has no secret (Secret or a readable SecretFile).");
                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(secret);
                }
                catch (FormatException)
                {
                    throw new UsageException($"The secret of pseudonym key '{id}' of practice '{practiceId}' is not base64.");
                }

                try
                {
                    ring.Add((new PseudonymKey(id, bytes, practiceId, key.Unscoped ? PseudonymDerivation.Unscoped : PseudonymDerivation.PracticeScoped), key.Active));
                }
                catch (ArgumentException)
                {
                    throw new UsageException($"Pseudonym key '{id}' of practice '{practiceId}' is not usable (id of [A-Za-z0-9_-], secret of at least {PseudonymKey.MinimumSecretBytes} bytes).");
                }
            }

            var ordered = ring.OrderByDescending(r => r.Active).Select(r => r.Key).ToList();
            return new PseudonymKeyRing(ordered[0], ordered.Skip(1));
        }
        catch
        {
            foreach (var (key, _) in ring)
            {
                key.Dispose();
            }

            throw;
        }
    }

    private static string? ReadSecret(string? inline, string? file, string folder, CertificateList certificates, string keyId)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                return null;
            }

            var content = File.ReadAllText(path);
            try
            {
                return EncryptedSecret.IsEncrypted(content) ? EncryptedSecret.ReadText(content, certificates.Value) : content.Trim();
            }
            catch (EncryptedSecretException ex)
            {
                throw new UsageException($"The secret file of pseudonym key '{keyId}' is encrypted and {ex.Reason} (Gateway:DataProtection:CertificatePath and CertificateKeyPath in the configuration).");
            }
        }

        return string.IsNullOrWhiteSpace(inline) ? null : inline.Trim();
    }

    /// <summary>The Data Protection certificate and retired ones the settings name.</summary>
    private static List<X509Certificate2> LoadCertificates(DataProtectionSettings? protection, string folder)
    {
        var pairs = new List<(string? Certificate, string? Key, string Setting)> { (protection?.CertificatePath, protection?.CertificateKeyPath, "DataProtection") };
        pairs.AddRange((protection?.RetiredCertificates ?? []).Select((r, i) => (r.CertificatePath, r.CertificateKeyPath, $"DataProtection:RetiredCertificates:{i}")));
        var certificates = new List<X509Certificate2>();
        foreach (var (certificate, key, setting) in pairs)
        {
            if (string.IsNullOrWhiteSpace(certificate) || string.IsNullOrWhiteSpace(key))
            {
                continue;
            }

            var loaded = CertificateFiles.TryLoad(Path.IsPathRooted(certificate) ? certificate : Path.Combine(folder, certificate), Path.IsPathRooted(key) ? key : Path.Combine(folder, key), out var error)
                ?? throw new UsageException($"{setting}: {error}.");
            certificates.Add(loaded);
        }

        return certificates;
    }

    /// <summary>Certificates loaded only when an encrypted secret file needs them, disposed afterwards.</summary>
    private sealed class CertificateList(Func<List<X509Certificate2>> load) : IDisposable
    {
        private List<X509Certificate2>? _certificates;

        public IReadOnlyCollection<X509Certificate2> Value => _certificates ??= load();

        public void Dispose()
        {
            foreach (var certificate in _certificates ?? [])
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>The part of the gateway's <c>PracticeOptions</c> the tool needs (same names, same binding).</summary>
    private sealed class PracticeSettings
    {
        public string Id { get; set; } = string.Empty;

        public List<PseudonymKeySettings> PseudonymKeys { get; set; } = [];
    }

    private sealed class PseudonymKeySettings
    {
        public string? Id { get; set; }

        public string? Secret { get; set; }

        public string? SecretFile { get; set; }

        public bool Active { get; set; }

        public bool Unscoped { get; set; }
    }

    private sealed class DataProtectionSettings
    {
        public string? CertificatePath { get; set; }

        public string? CertificateKeyPath { get; set; }

        public List<CertificateSettings> RetiredCertificates { get; set; } = [];
    }

    private sealed class CertificateSettings
    {
        public string? CertificatePath { get; set; }

        public string? CertificateKeyPath { get; set; }
    }
}
