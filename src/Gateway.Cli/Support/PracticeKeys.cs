using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Secrets;

namespace Gateway.Cli.Support;

/// <summary>
/// Reads one practice's pseudonym keys (active and retired) from the gateway's configuration file
/// (<c>Gateway:Practices[]</c>) or a practice keys file (<c>Practices[]</c> at the top level), including
/// <c>SecretFile</c>s (relative to the file's folder) and secrets given as environment variables the way the
/// gateway reads them (<c>Gateway__Practices__0__PseudonymKeys__1__Secret</c>). Secret files encrypted to the Data
/// Protection certificate are decrypted with the certificates the same file configures
/// (<c>Gateway:DataProtection:CertificatePath</c>/<c>CertificateKeyPath</c> and <c>RetiredCertificates</c>). Secrets are never printed.
/// </summary>
internal static class PracticeKeys
{
    private static readonly JsonDocumentOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static PseudonymKeyRing Load(string configPath, string practiceId)
    {
        if (!File.Exists(configPath))
        {
            throw new UsageException($"The configuration file '{configPath}' does not exist.");
        }

        using var document = ParseConfig(configPath);
        var root = document.RootElement;
        var prefix = "Gateway__Practices__";
        var folder = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        if (Property(root, "Gateway") is { } gateway)
        {
            root = gateway;
        }

        else
        {
            prefix = "Practices__";
        }

        var settings = root;
        using var certificates = new CertificateList(() => LoadCertificates(settings, folder));

        if (Property(root, "Practices") is not { ValueKind: JsonValueKind.Array } practices)
        {
            throw new UsageException($"'{configPath}' has no Gateway:Practices (or Practices) list.");
        }

        var index = 0;
        foreach (var practice in practices.EnumerateArray())
        {
            if (Property(practice, "Id")?.GetString() == practiceId)
            {
                return Ring(practice, practiceId, $"{prefix}{index}__", folder, certificates);
            }

            index++;
        }

        throw new UsageException($"The practice '{practiceId}' is not configured in '{configPath}'.");
    }

    private static JsonDocument ParseConfig(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), s_options);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"'{path}' is not valid JSON (line {ex.LineNumber + 1}).");
        }
    }

    private static PseudonymKeyRing Ring(JsonElement practice, string practiceId, string environmentPrefix, string folder, CertificateList certificates)
    {
        if (Property(practice, "PseudonymKeys") is not { ValueKind: JsonValueKind.Array } keys || keys.GetArrayLength() == 0)
        {
            throw new UsageException($"The practice '{practiceId}' has no PseudonymKeys.");
        }

        var ring = new List<(PseudonymKey Key, bool Active)>();
        try
        {
            var k = 0;
            foreach (var key in keys.EnumerateArray())
            {
                var env = $"{environmentPrefix}PseudonymKeys__{k++}__";
                var id = Property(key, "Id")?.GetString() ?? throw new UsageException($"A pseudonym key of practice '{practiceId}' has no Id.");
                var inline = Environment.GetEnvironmentVariable(env + "Secret") ?? Property(key, "Secret")?.GetString();
                var file = Environment.GetEnvironmentVariable(env + "SecretFile") ?? Property(key, "SecretFile")?.GetString();
                var secret = ReadSecret(inline, file, folder, certificates, id)
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
                    ring.Add((new PseudonymKey(id, bytes), Property(key, "Active") is { ValueKind: JsonValueKind.True }));
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

    /// <summary>The Data Protection certificate and retired ones the configuration names (environment variables win, as in the gateway).</summary>
    private static List<X509Certificate2> LoadCertificates(JsonElement gateway, string folder)
    {
        var protection = Property(gateway, "DataProtection");
        var pairs = new List<(string? Certificate, string? Key, string Setting)>
        {
            (Environment.GetEnvironmentVariable("Gateway__DataProtection__CertificatePath") ?? Text(protection, "CertificatePath"),
             Environment.GetEnvironmentVariable("Gateway__DataProtection__CertificateKeyPath") ?? Text(protection, "CertificateKeyPath"), "Gateway:DataProtection"),
        };
        if (protection is { } p && Property(p, "RetiredCertificates") is { ValueKind: JsonValueKind.Array } retired)
        {
            var i = 0;
            foreach (var entry in retired.EnumerateArray())
            {
                pairs.Add((Text(entry, "CertificatePath"), Text(entry, "CertificateKeyPath"), $"Gateway:DataProtection:RetiredCertificates:{i++}"));
            }
        }

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

    private static string? Text(JsonElement? element, string name) => element is { } e && Property(e, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

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

    /// <summary>Configuration keys are case-insensitive, as in Microsoft.Extensions.Configuration.</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
