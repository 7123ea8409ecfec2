using System.Security.Cryptography;
using System.Text;
using Gateway.Testing;

namespace Gateway.Server.Tests.Hosting;

/// <summary>
/// The built gateway started from another working directory (as the DevStack and scripts start it) still reads
/// its own appsettings.json: the YARP active health check configured only there probes the destination.
/// </summary>
public sealed class ContentRootTests
{
    [Fact]
    public async Task StartedFromAnotherDirectory_AppsettingsJsonIsInForce()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(elsewhere);
        Assert.False(File.Exists(Path.Combine(elsewhere, "appsettings.json")));
        await using var upstream = await CapturingUpstream.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = RepoPaths.Policies,
            ["Gateway:DataPath"] = "data",
            ["Gateway:Forwarding:Token"] = "content-root-token-0123456789abcdef",
            ["Gateway:Practices:0:Id"] = "root-dental",
            ["Gateway:Practices:0:Vertical"] = "dental",
            ["Gateway:Practices:0:WriteKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("wk_root"))),
            ["Gateway:Practices:0:PseudonymKeys:0:Id"] = "r1",
            ["Gateway:Practices:0:PseudonymKeys:0:Secret"] = Convert.ToBase64String(SHA256.HashData("root-secret"u8)),
            ["Gateway:Practices:0:PseudonymKeys:0:Active"] = "true",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = upstream.Address,
        };

        await using var gateway = await GatewayProcess.StartAsync(settings, GatewayProcess.FreePort(), workingDirectory: elsewhere);

        // Only appsettings.json enables the active health check (path /health/ready); nothing above does.
        await Wait.UntilAsync(() => upstream.HealthProbes > 0, "YARP's active health probe from appsettings.json", 30);

        // Relative paths in settings are relative to the working directory the gateway was started in.
        Assert.True(Directory.Exists(Path.Combine(elsewhere, "data", "audit")), "the relative data path resolves against the working directory");
        await gateway.StopAsync();
        Directory.Delete(elsewhere, recursive: true);
    }
}
