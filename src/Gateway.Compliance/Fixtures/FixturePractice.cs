using System.Security.Cryptography;
using System.Text;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Compliance.Fixtures;

/// <summary>
/// The practice fixtures run as: a fixed, public key used only for fixtures, so expected pseudonyms are
/// reproducible. Never configure it for a real practice.
/// </summary>
public static class FixturePractice
{
    public const string PracticeId = "fixture-practice";
    public const string KeyId = "fx";

    /// <summary>SHA-256("gateway-fixture-key"): public on purpose.</summary>
    public static byte[] Secret => SHA256.HashData(Encoding.UTF8.GetBytes("gateway-fixture-key"));

    public static PracticeContext Create(string vertical, IEnumerable<string>? serviceArea = null) =>
        new(PracticeId, vertical, new PseudonymKeyRing(new PseudonymKey(KeyId, Secret)), serviceArea);
}
