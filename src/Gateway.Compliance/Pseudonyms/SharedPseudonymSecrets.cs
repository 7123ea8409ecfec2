using System.Security.Cryptography;

namespace Gateway.Compliance.Pseudonyms;

/// <summary>
/// Finds pseudonym secrets configured for more than one practice. Practice scoping keeps their pseudonyms apart, but
/// one leaked secret would then expose both practices, and it usually means a copied configuration: refused at start.
/// </summary>
public static class SharedPseudonymSecrets
{
    /// <summary>One configured secret: whose it is and its bytes.</summary>
    public readonly record struct ConfiguredSecret(string PracticeId, string KeyId, byte[] Secret);

    /// <summary>Each pair of secrets of different practices with the same bytes (compared in constant time).</summary>
    public static IEnumerable<(ConfiguredSecret First, ConfiguredSecret Second)> Find(IReadOnlyList<ConfiguredSecret> secrets)
    {
        for (var i = 0; i < secrets.Count; i++)
        {
            for (var j = i + 1; j < secrets.Count; j++)
            {
                var (a, b) = (secrets[i], secrets[j]);
                if (a.PracticeId != b.PracticeId && a.Secret.Length == b.Secret.Length && CryptographicOperations.FixedTimeEquals(a.Secret, b.Secret))
                {
                    yield return (a, b);
                }
            }
        }
    }
}
