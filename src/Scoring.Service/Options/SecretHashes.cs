using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Scoring.Service.Options;

/// <summary>Stored secrets are SHA-256 hashes; presented secrets are hashed and compared in constant time.</summary>
internal static partial class SecretHashes
{
    public static bool IsValid(string? hash) => hash is not null && HashPattern().IsMatch(hash);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string expectedHash)
    {
        if (!IsValid(expectedHash))
        {
            return false;
        }

        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return CryptographicOperations.FixedTimeEquals(actual, Convert.FromHexString(expectedHash));
    }

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();
}
