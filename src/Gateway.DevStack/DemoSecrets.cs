using System.Security.Cryptography;
using System.Text;

namespace Gateway.DevStack;

/// <summary>
/// The demo's secrets, generated on first run into <c>data/demo</c> (owner-only files) and reused after.
/// The services get file paths or hashes, never the secrets on a command line.
/// </summary>
internal sealed class DemoSecrets
{
    private DemoSecrets(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string WriteKey => Read("write-key.txt");

    public string AdminKey => Read("admin-key.txt");

    /// <summary>A read-only key (role <c>compliance</c>) for signing in to the compliance console as an officer.</summary>
    public string ComplianceKey => Read("compliance-key.txt");

    public string ScoringApiKey => Read("scoring-api-key.txt");

    public string PseudonymKeyFile => Path.Combine(Directory, "pseudonym.key");

    public string ForwardingTokenFile => Path.Combine(Directory, "forwarding-token.txt");

    public string ForwardingToken => Read("forwarding-token.txt");

    public static DemoSecrets LoadOrCreate(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var secrets = new DemoSecrets(directory);
        secrets.Ensure("write-key.txt", () => "wk_demo_" + Token(24));
        secrets.Ensure("admin-key.txt", () => "ak_demo_" + Token(24));
        secrets.Ensure("compliance-key.txt", () => "ck_demo_" + Token(24));
        secrets.Ensure("scoring-api-key.txt", () => "sk_demo_" + Token(24));
        secrets.Ensure("forwarding-token.txt", () => Token(32));
        secrets.Ensure("pseudonym.key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return secrets;
    }

    public static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private void Ensure(string name, Func<string> create)
    {
        var path = Path.Combine(Directory, name);
        if (File.Exists(path))
        {
            return;
        }

        File.WriteAllText(path, create());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private string Read(string name) => File.ReadAllText(Path.Combine(Directory, name)).Trim();

    private static string Token(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
