using Gateway.Compliance.Audit;

namespace Gateway.Storage.Tests;

public class CheckpointStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static AuditCheckpoint Signed(AuditCheckpointSigner signer, string instance, long count, DateTimeOffset time) =>
        signer.Sign(instance, new AuditChainState(count, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(count)))), time);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CheckpointsOfEveryInstance_ComeBackInOrder_AndTheirSignaturesVerify(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Checkpoints();
        using var signer = AuditCheckpointSigner.Create();

        // Ticks the signature covers (100 ns) must survive the round trip exactly.
        var odd = T0.AddTicks(1234567);
        await store.AppendAsync(Signed(signer, "gw-a", 10, odd));
        await store.AppendAsync(Signed(signer, "gw-b", 5, T0.AddSeconds(1)));
        await store.AppendAsync(Signed(signer, "gw-a", 20, T0.AddSeconds(2)));

        Assert.Equal(20, (await store.GetLatestAsync("gw-a"))!.Count);
        Assert.Null(await store.GetLatestAsync("gw-c"));
        var set = await store.ReadAllAsync();
        Assert.Empty(set.Problems);
        Assert.Equal([("gw-a", 10L), ("gw-a", 20L), ("gw-b", 5L)], set.Checkpoints.Select(c => (c.Checkpoint.Instance, c.Checkpoint.Count)).OrderBy(c => c.Instance, StringComparer.Ordinal).ThenBy(c => c.Count));
        Assert.Equal(odd, set.Checkpoints.Single(c => c.Checkpoint.Count == 10).Checkpoint.Time);

        var publicKey = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.pub.pem");
        File.WriteAllText(publicKey, signer.ExportPublicKeyPem());
        using var verifier = AuditCheckpointVerifier.Load([publicKey]);
        File.Delete(publicKey);
        var verification = verifier.Verify(set);
        Assert.Empty(verification.Problems);
        Assert.Equal(3, verification.Verified.Count);
    }
}
