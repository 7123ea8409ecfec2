using System.Security.Cryptography.X509Certificates;
using Gateway.Compliance.Secrets;

namespace Gateway.Server.Configuration;

/// <summary>
/// Reads a secret given inline or as a file path (file wins). A file may hold the secret plainly or encrypted
/// to the Data Protection certificate (<see cref="EncryptedSecret"/>). Never logs or echoes the value.
/// </summary>
internal static class SecretReader
{
    public static string? Read(string? inline, string? file, string contentRoot) => Read(inline, file, contentRoot, []);

    /// <exception cref="EncryptedSecretException">The file is encrypted and none of <paramref name="certificates"/> decrypts it.</exception>
    public static string? Read(string? inline, string? file, string contentRoot, IReadOnlyCollection<X509Certificate2> certificates)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            var path = PathOf(file, contentRoot);
            return File.Exists(path) ? EncryptedSecret.ReadText(File.ReadAllText(path), certificates) : null;
        }

        return string.IsNullOrWhiteSpace(inline) ? null : inline.Trim();
    }

    /// <summary>A secret file's full path: as given when rooted, else under <paramref name="contentRoot"/>.</summary>
    public static string PathOf(string file, string contentRoot) => Path.IsPathRooted(file) ? file : Path.Combine(contentRoot, file);

    /// <summary>Where a secret file's content comes from, for the secret inventory: "file" or "encrypted file".</summary>
    public static string Source(string? file, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return "settings";
        }

        var path = PathOf(file, contentRoot);
        return File.Exists(path) && EncryptedSecret.IsEncrypted(File.ReadAllText(path)) ? "encrypted file" : "file";
    }

    /// <summary>A description of where a secret is expected, for "missing secret" messages (never the value).</summary>
    public static string Describe(string setting, string? file) =>
        string.IsNullOrWhiteSpace(file) ? $"'{setting}'" : $"'{setting}File' ({file})";
}
