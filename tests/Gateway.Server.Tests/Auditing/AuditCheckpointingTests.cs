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
        var publicKey = Path.Combine(gateway.DataPath, "checkpoint-keys", "audit-checkpoint.pub.pem");
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
}
