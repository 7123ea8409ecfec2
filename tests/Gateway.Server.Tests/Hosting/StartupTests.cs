using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Tests.Hosting;

/// <summary>The gateway refuses to start on anything that would make it fail open, and says every reason.</summary>
public class StartupTests
{
    private static async Task<Exception> StartFailsAsync(IDictionary<string, string?> settings)
    {
        var exception = await Record.ExceptionAsync(async () => await (await GatewayHarness.StartAsync(settings)).DisposeAsync());
        Assert.NotNull(exception);
        return exception;
    }

    [Fact]
    public async Task RefusesToStart_WithAnInvalidPolicy_ListingItsErrors()
    {
        var policies = CopyPolicies();
        var file = Path.Combine(policies, "dental", "policy.yaml");
        File.WriteAllText(file, File.ReadAllText(file)
            .Replace("properties.keyword: { action: redact-text,", "properties.keyword: { action: shred,", StringComparison.Ordinal)
            .Replace("context.ip: drop", "context.ip: keep", StringComparison.Ordinal));
        var exception = await StartFailsAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = policies });
        var message = exception.ToString();
        Assert.Contains("unknown action 'shred'", message);
        Assert.Contains("dental/policy.yaml:", message);
    }

    [Fact]
    public async Task RefusesToStart_WhenAPolicyFolderIsMissing()
    {
        var exception = await StartFailsAsync(new Dictionary<string, string?> { ["Gateway:PoliciesPath"] = Path.Combine(Path.GetTempPath(), "gw-none-" + Guid.NewGuid()) });
        Assert.Contains("the policies folder does not exist", exception.ToString());
    }

    [Fact]
    public async Task RefusesToStart_WhenAPracticeNamesAnUnknownVertical()
    {
        var exception = await StartFailsAsync(new Dictionary<string, string?> { ["Gateway:Practices:0:Vertical"] = "orthodontics" });
        Assert.Contains("practice 'test-dental' names vertical 'orthodontics', which has no policy folder", exception.ToString());
    }

    [Fact]
    public async Task RefusesToStart_WithProxyRoutes_ThatWouldBypassScrubbing()
    {
        var exception = await StartFailsAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Routes:raw:ClusterId"] = "scoring",
            ["ReverseProxy:Routes:raw:Match:Path"] = "/{**all}",
        });
        Assert.Contains("ReverseProxy:Routes must be empty", exception.ToString());
    }

    [Fact]
    public async Task RefusesToStart_WhenADestinationClusterIsMissing()
    {
        var exception = await StartFailsAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = null,
            ["ReverseProxy:Clusters:scoring"] = null,
        });
        Assert.NotNull(exception);
    }

    [Fact]
    public async Task RefusesToStart_WithMissingOrWeakSecrets_ListingEachWithoutItsValue()
    {
        var exception = await StartFailsAsync(new Dictionary<string, string?>
        {
            ["Gateway:Practices:0:PseudonymKeys:0:Secret"] = Convert.ToBase64String(new byte[16]),
            ["Gateway:Practices:1:PseudonymKeys:0:Secret"] = null,
            ["Gateway:Practices:1:PseudonymKeys:0:SecretFile"] = "/nonexistent/secret.key",
            ["Gateway:Practices:2:WriteKeySha256:0"] = "wk_plaintext_key_by_mistake",
            ["Gateway:Forwarding:Token"] = "short",
        });
        var validation = Assert.IsType<OptionsValidationException>(exception);
        Assert.Contains("Gateway:Practices:0:PseudonymKeys:0: the secret must be base64 of at least 32 random bytes.", validation.Failures);
        Assert.Contains("Gateway:Practices:1:PseudonymKeys:0: the secret is missing: set 'SecretFile' (/nonexistent/secret.key).", validation.Failures);
        Assert.Contains("Gateway:Practices:2:WriteKeySha256:0 must be 64 lower-case hex characters (the SHA-256 of the write key, not the key).", validation.Failures);
        Assert.Contains("Gateway:Forwarding: the destination token must be at least 24 characters.", validation.Failures);
        Assert.DoesNotContain("wk_plaintext_key_by_mistake", validation.Message);
        Assert.DoesNotContain("short", string.Join(" ", validation.Failures).Replace("24 characters", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusesToStart_WhenTwoPracticesShareAPseudonymSecret_OrTheActiveKeyIsUnscoped_NamingKeysNotSecrets()
    {
        var shared = Convert.ToBase64String(GatewayHarness.DentalSecret);
        var exception = await StartFailsAsync(new Dictionary<string, string?>
        {
            ["Gateway:Practices:1:PseudonymKeys:0:Secret"] = shared,
            ["Gateway:Practices:2:PseudonymKeys:0:Unscoped"] = "true",
        });
        var validation = Assert.IsType<OptionsValidationException>(exception);
        Assert.Contains(validation.Failures, f => f.StartsWith($"Gateway:Practices: practices '{GatewayHarness.DentalPractice}' (key '", StringComparison.Ordinal)
            && f.Contains($"and '{GatewayHarness.HealthcarePractice}' (key '", StringComparison.Ordinal) && f.Contains("same pseudonym secret", StringComparison.Ordinal));
        Assert.Contains(validation.Failures, f => f.StartsWith("Gateway:Practices:2:PseudonymKeys:0: an Unscoped (legacy) key cannot be the active key", StringComparison.Ordinal));
        Assert.DoesNotContain(shared, validation.Message);
    }

    [Fact]
    public void Validator_RefusesNoPractices_AndReportsEveryProblemAtOnce()
    {
        var result = new Gateway.Server.Configuration.GatewayOptionsValidator().Validate(null, new Gateway.Server.Configuration.GatewayOptions
        {
            InstanceId = "bad id!",
            Forwarding = new Gateway.Server.Configuration.ForwardingOptions { TimeoutSeconds = 0 },
        });
        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Gateway:InstanceId must be 1-40 characters of [A-Za-z0-9_-].",
                "Gateway:Practices is empty: configure at least one practice (id, vertical, write key hash, pseudonym key).",
                "Gateway:Forwarding: the destination token is missing: set 'Gateway:Forwarding:Token'.",
                "Gateway:Forwarding:TimeoutSeconds must be between 1 and 300.",
            ],
            result.Failures);
    }

    [Fact]
    public void Validator_RefusesANegativeConsentCacheSize()
    {
        var options = new Gateway.Server.Configuration.GatewayOptions { Storage = new Gateway.Server.Configuration.StorageOptions { ConsentCacheSubjects = -1 } };
        var validator = new Gateway.Server.Configuration.GatewayOptionsValidator();
        Assert.Contains("Gateway:Storage:ConsentCacheSubjects must be 0 (no cache) or more.", validator.Validate(null, options).Failures!);
        Assert.DoesNotContain(validator.Validate(null, options with { Storage = new() { ConsentCacheSubjects = 0 } }).Failures!, f => f.Contains("ConsentCache", StringComparison.Ordinal));
    }

    internal static string CopyPolicies()
    {
        var target = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "policies");
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Policies, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(RepoPaths.Policies, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}

public class TransportSafetyTests
{
    [Theory]
    [InlineData("http://scoring.internal.example:5081/", null, "plain HTTP to a non-loopback host")]
    [InlineData("ftp://scoring.example/", null, "Address must be an absolute http(s) URL")]
    public async Task RefusesToStart_WithAnInsecureDestination(string address, string? allow, string message)
    {
        var exception = await Record.ExceptionAsync(async () => await (await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = address,
            ["Gateway:Forwarding:AllowInsecureDestinations"] = allow,
        }, withBaa: false)).DisposeAsync());
        Assert.NotNull(exception);
        Assert.Contains(message, exception.ToString());
    }

    [Fact]
    public async Task RefusesToStart_WithCertificateValidationTurnedOff()
    {
        var exception = await Record.ExceptionAsync(async () => await (await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:scoring:HttpClient:DangerousAcceptAnyServerCertificate"] = "true",
        }, withBaa: false)).DisposeAsync());
        Assert.NotNull(exception);
        Assert.Contains("DangerousAcceptAnyServerCertificate", exception.ToString());
    }

    [Fact]
    public async Task InsecureDestination_IsAllowed_OnlyWhenExplicitlyEnabled()
    {
        // Starts; the destination is unreachable, which is fine for this check.
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = "http://scoring.internal.example:5081/",
            ["Gateway:Forwarding:AllowInsecureDestinations"] = "true",
        }, withBaa: false);
        Assert.NotNull(gateway.Address);
    }

    [Fact]
    public async Task StartupLog_ListsSecretsFound_WithoutValues()
    {
        await using var gateway = await GatewayHarness.StartAsync(withBaa: false);
        // Compact JSON, one event per line: the message's properties, as well as its rendering.
        var log = File.ReadAllText(Directory.GetFiles(gateway.LogPath).Single());
        var inventory = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!)
            .Single(e => (string?)e["Practice"] == "test-dental" && e["EventId"]?["Id"]?.GetValue<int>() == 5001);
        Assert.Equal(1, inventory["WriteKeys"]!.GetValue<int>());
        Assert.Equal("t0 (active) from settings", (string?)inventory["Keys"]);
        Assert.Contains("Destination token found", log);
        Assert.DoesNotContain("test-forwarding-token", log);
        Assert.DoesNotContain(Convert.ToBase64String(GatewayHarness.DentalSecret), log);
    }
}
