using System.Collections.Concurrent;
using Gateway.Server.Configuration;
using Gateway.Server.Hosting;

namespace Gateway.Server.Forwarding;

/// <summary>
/// Reads ad-platform tokens from their files when a request is about to go, and again whenever a file changes, so
/// a token refreshed by an external job (Google's OAuth access tokens live an hour) is used at once. Tokens are
/// only ever put into the outgoing request; never logged, audited or returned. A file may be encrypted to the Data
/// Protection certificate (<c>gatewayctl keys encrypt-secret</c>), like pseudonym secrets.
/// </summary>
internal sealed class PlatformTokens(DataProtectionCertificates certificates)
{
    private readonly ConcurrentDictionary<string, (DateTime Written, string? Token)> _cache = new(StringComparer.Ordinal);

    /// <summary>The token in <paramref name="file"/>; null when the file is missing or empty.</summary>
    public string? Read(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        var path = SecretReader.PathOf(file, ServiceHost.WorkingDirectory);
        var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        if (_cache.TryGetValue(path, out var cached) && cached.Written == written)
        {
            return cached.Token;
        }

        string? token;
        try
        {
            token = written == DateTime.MinValue ? null : SecretReader.Read(null, path, ServiceHost.WorkingDirectory, certificates.All);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Gateway.Compliance.Secrets.EncryptedSecretException)
        {
            // Being replaced, unreadable, or encrypted to a certificate the gateway does not hold: the conversions wait.
            return null;
        }

        _cache[path] = (written, string.IsNullOrWhiteSpace(token) ? null : token);
        return _cache[path].Token;
    }
}
