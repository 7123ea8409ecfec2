using System.Net;
using Gateway.Compliance.Audit;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Auditing;

public class AuditCheckpointingTests
{
    [Fact]
    public async Task Gateway_CreatesItsSigningKey_AndSignsCheckpointsTheVerifierAccepts()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Audit:Checkpoints:EveryRecords"] = "1",
        });
        var response = await gateway.Client().PostAsync("track", Events.ServicePageViewed());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var store = new FileCheckpointStore(Path.Combine(gateway.DataPath, "checkpoints"));
        AuditCheckpointSet set;
        var waited = 0;
        while ((set = await store.ReadAllAsync()).Checkpoints.Count == 0 && waited++ < 200)
        {
            await Task.Delay(25);
        }

        Assert.NotEmpty(set.Checkpoints);
        var publicKey = Gateway.Compliance.Audit.AuditCheckpointKeys.PublicKeyPathFor(gateway.SigningKeyFile);
        using var verifier = AuditCheckpointVerifier.Load([publicKey]);
        var checkpoints = verifier.Verify(set);
        Assert.Empty(checkpoints.Problems);
        var result = new AuditChainVerifier { Checkpoints = checkpoints.Verified }.Verify(gateway.AuditPath);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.True(result.Instances.Single().CheckpointsVerified >= 1);
        Assert.DoesNotContain("PRIVATE", File.ReadAllText(publicKey));
    }

    [Fact]
    public async Task Gateway_RefusesACheckpointFolderThatIsTheAuditFolder()
    {
        var same = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "audit");
        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
            {
                ["Gateway:Audit:Directory"] = same,
                ["Gateway:Audit:Checkpoints:Directory"] = same,
            });
            await gateway.Client().PostAsync("track", Events.ServicePageViewed());
        });
        Assert.NotNull(ex);
        Assert.Contains("must not be the audit folder", ex.ToString());
    }

    [Theory]
    [InlineData("data")]
    [InlineData("audit")]
    public async Task Gateway_OutsideDevelopment_RefusesASigningKeyInsideItsDataOrAuditFolder(string where)
    {
        var root = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:DataPath"] = Path.Combine(root, "data"),
            ["Gateway:Audit:Directory"] = Path.Combine(root, "audit"),
            ["Gateway:Audit:Checkpoints:SigningKeyFile"] = Path.Combine(root, where, "keys", "audit-checkpoint.pem"),
        };

        var ex = await Record.ExceptionAsync(async () => await (await GatewayHarness.StartAsync(settings)).DisposeAsync());

        Assert.NotNull(ex);
        Assert.Contains("keep the checkpoint signing key outside the gateway's data, audit and checkpoint folders", ex.ToString());
        Assert.False(File.Exists(settings["Gateway:Audit:Checkpoints:SigningKeyFile"]));
    }

    [Fact]
    public async Task Gateway_OutsideDevelopment_RequiresAConfiguredSigningKey()
    {
        var ex = await Record.ExceptionAsync(async () =>
            await (await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Gateway:Audit:Checkpoints:SigningKeyFile"] = null })).DisposeAsync());

        Assert.NotNull(ex);
        Assert.Contains("SigningKeyFile is required outside Development", ex.ToString());
    }
}
