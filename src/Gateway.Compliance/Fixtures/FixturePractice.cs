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

    /// <summary>The fixture practice's sites: the hosts besides the policy's own that its URLs may name.</summary>
    public static IReadOnlyList<string> Domains { get; } = ["smile.example", "clinic.example"];

    /// <summary>What the fixture practice adds to its policy's value sets: its locations, providers, app and referral partner.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["location"] = ["back-bay", "loop", "north-clinic"],
        ["provider"] = ["dr-kim-ruth"],
        ["app_name"] = ["Acme Health"],
        ["referring_practice"] = ["lakeview-family"],
    };

    public static PracticeContext Create(string vertical, IEnumerable<string>? serviceArea = null, IEnumerable<string>? domains = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? values = null) =>
        new(PracticeId, vertical, new PseudonymKeyRing(new PseudonymKey(KeyId, Secret, PracticeId)), serviceArea, domains ?? Domains, values ?? Values);
}
