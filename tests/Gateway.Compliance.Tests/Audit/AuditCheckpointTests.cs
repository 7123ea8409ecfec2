using System.Security.Cryptography;
using System.Text;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

public class AuditCheckpointTests : IDisposable
{
    private readonly TempDirectory _root = new("checkpoints");

    public void Dispose() => _root.Dispose();

    private string AuditDir => Path.Combine(_root.Path, "audit");

    private string CheckpointDir => Path.Combine(_root.Path, "checkpoints");

    [Fact]
    public void KeyId_IsTheFirst16HexOfTheSubjectPublicKeyInfoHash()
    {
        using var signer = AuditCheckpointSigner.Create();
        using var key = ECDsa.Create();
        key.ImportFromPem(signer.ExportPublicKeyPem());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16], signer.KeyId);
    }

    [Fact]
    public void CanonicalBytes_AreVersionedLines_InUtc()
    {
        var bytes = AuditCheckpointSigner.CanonicalBytes("gw-1", 42, new string('a', 64), new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.FromHours(1)));
        Assert.Equal($"gateway-audit-checkpoint/v1\ngw-1\n42\n{new string('a', 64)}\n2026-11-22T10:00:00.0000000+00:00", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task SignedCheckpoints_RoundTripThroughTheStore_AndVerify()
    {
        using var signer = AuditCheckpointSigner.Create();
        var store = new FileCheckpointStore(CheckpointDir);
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(10, new string('c', 64)), DateTimeOffset.UtcNow));
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(20, new string('d', 64)), DateTimeOffset.UtcNow));
        var set = await store.ReadAllAsync();
        using var verifier = LoadVerifier(signer);
        var result = verifier.Verify(set);
        Assert.Empty(result.Problems);
        Assert.Equal([10L, 20L], result.Verified.Select(c => c.Count));
        Assert.Equal("checkpoints-gw-1.jsonl", Assert.Single(Directory.GetFiles(CheckpointDir).Select(Path.GetFileName)));
        Assert.Equal(20, (await store.GetLatestAsync("gw-1"))!.Count);
    }

    [Fact]
    public void StoredLine_HasTheDocumentedMembers_Readably()
    {
        var checkpoint = new AuditCheckpoint("gw-1", 10, new string('c', 64), new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), "0123456789abcdef", "ab+/cd==");
        Assert.Equal(
            $$"""{"instance":"gw-1","count":10,"head":"{{new string('c', 64)}}","ts":"2026-11-22T10:00:00.0000000+00:00","keyId":"0123456789abcdef","sig":"ab+/cd=="}""" + "\n",
            Encoding.UTF8.GetString(FileCheckpointStore.Format(checkpoint)));
        Assert.True(FileCheckpointStore.TryParse(FileCheckpointStore.Format(checkpoint).AsSpan()[..^1], out var parsed, out _));
        Assert.Equal(checkpoint, parsed);
    }

    [Theory]
    [InlineData("\"count\":10,", "\"count\":11,")]
    [InlineData("\"head\":\"c", "\"head\":\"e")]
    [InlineData("\"instance\":\"gw-1\"", "\"instance\":\"gw-2\"")]
    public async Task EditedCheckpoint_FailsItsSignature(string find, string replace)
    {
        using var signer = AuditCheckpointSigner.Create();
        var store = new FileCheckpointStore(CheckpointDir);
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(10, new string('c', 64)), DateTimeOffset.UtcNow));
        var file = Path.Combine(CheckpointDir, "checkpoints-gw-1.jsonl");
        var text = File.ReadAllText(file);
        Assert.Contains(find, text);
        File.WriteAllText(file, text.Replace(find, replace, StringComparison.Ordinal));
        using var verifier = LoadVerifier(signer);
        var problem = Assert.Single(verifier.Verify(await store.ReadAllAsync()).Problems);
        Assert.Equal("checkpoints-gw-1.jsonl", problem.File);
        Assert.Equal(1, problem.Line);
    }

    [Fact]
    public async Task CheckpointSignedWithAnotherKey_IsReported()
    {
        using var signer = AuditCheckpointSigner.Create();
        using var other = AuditCheckpointSigner.Create();
        var store = new FileCheckpointStore(CheckpointDir);
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(10, new string('c', 64)), DateTimeOffset.UtcNow));
        using var verifier = LoadVerifier(other);
        var problem = Assert.Single(verifier.Verify(await store.ReadAllAsync()).Problems);
        Assert.Contains("not among the public keys", problem.Message);
    }

    [Fact]
    public async Task ForgedSignature_WithTheRightKeyId_IsReported()
    {
        using var signer = AuditCheckpointSigner.Create();
        using var forger = AuditCheckpointSigner.Create();
        var forged = forger.Sign("gw-1", new AuditChainState(10, new string('c', 64)), DateTimeOffset.UtcNow) with { KeyId = signer.KeyId };
        var store = new FileCheckpointStore(CheckpointDir);
        await store.AppendAsync(forged);
        using var verifier = LoadVerifier(signer);
        Assert.Contains("does not verify", Assert.Single(verifier.Verify(await store.ReadAllAsync()).Problems).Message);
    }

    [Fact]
    public async Task FallingChainLength_IsReported()
    {
        using var signer = AuditCheckpointSigner.Create();
        var store = new FileCheckpointStore(CheckpointDir);
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(20, new string('c', 64)), DateTimeOffset.UtcNow));
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(5, new string('d', 64)), DateTimeOffset.UtcNow));
        using var verifier = LoadVerifier(signer);
        var problem = Assert.Single(verifier.Verify(await store.ReadAllAsync()).Problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains("cut back", problem.Message);
    }

    [Fact]
    public async Task MalformedLine_IsAProblem_AndATornLastLineIsCutOnTheNextAppend()
    {
        using var signer = AuditCheckpointSigner.Create();
        var store = new FileCheckpointStore(CheckpointDir);
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(10, new string('c', 64)), DateTimeOffset.UtcNow));
        var file = Path.Combine(CheckpointDir, "checkpoints-gw-1.jsonl");
        File.AppendAllText(file, "{\"instance\":\"gw-1\",\"cou");
        Assert.Empty((await store.ReadAllAsync()).Problems);

        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(11, new string('d', 64)), DateTimeOffset.UtcNow));
        Assert.Equal(2, File.ReadAllLines(file).Length);

        File.AppendAllText(file, "not json\n");
        var problem = Assert.Single((await store.ReadAllAsync()).Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains("malformed", problem.Message);
    }

    [Fact]
    public void LoadOrCreate_WritesAnOwnerOnlyKey_AndItsPublicKeyNextToIt()
    {
        var keyFile = Path.Combine(_root.Path, "keys", "audit-checkpoint.pem");
        string keyId;
        using (var signer = AuditCheckpointSigner.LoadOrCreate(keyFile, out var created))
        {
            Assert.True(created);
            keyId = signer.KeyId;
        }

        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(keyFile));
        Assert.Contains("BEGIN PUBLIC KEY", File.ReadAllText(Path.Combine(_root.Path, "keys", "audit-checkpoint.pub.pem")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        using var again = AuditCheckpointSigner.LoadOrCreate(keyFile, out var createdAgain);
        Assert.False(createdAgain);
        Assert.Equal(keyId, again.KeyId);
        using var verifier = AuditCheckpointVerifier.Load([Path.Combine(_root.Path, "keys")]);
        Assert.Equal(keyId, Assert.Single(verifier.KeyIds));
    }

    [Fact]
    public void PrivateKey_IsRefusedAsAVerificationKey()
    {
        using var signer = AuditCheckpointSigner.Create();
        var file = Path.Combine(_root.Path, "private.pem");
        File.WriteAllText(file, signer.ExportPrivateKeyPem());
        var ex = Assert.Throws<AuditKeyException>(() => AuditCheckpointVerifier.Load([file]));
        Assert.Contains("private key", ex.Message);
        Assert.DoesNotContain("MI", ex.Message);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(9_999, 59, false)]
    [InlineData(10_000, 0, true)]
    [InlineData(1, 60, true)]
    [InlineData(0, 600, false)]
    public void Policy_IsDue_AfterEitherThreshold_OnlyWhenTheChainGrew(long records, int seconds, bool due)
    {
        Assert.Equal(due, new CheckpointPolicy().IsDue(records, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public async Task Writer_HookedIntoTheAuditLog_SignsEveryNRecords_AndAtShutdown_SoACutTailIsDetected()
    {
        using var signer = AuditCheckpointSigner.Create();
        var store = new FileCheckpointStore(CheckpointDir);
        var writer = await AuditCheckpointWriter.StartAsync(store, signer, "gw-1", new CheckpointPolicy { EveryRecords = 25, Every = TimeSpan.FromHours(1) });
        await using (writer)
        {
            using var log = FileAuditLog.Open(new AuditFileOptions { Directory = AuditDir, InstanceId = "gw-1", OnDurable = writer.OnDurable });
            for (var i = 0; i < 100; i++)
            {
                await log.AppendAsync([Encoding.UTF8.GetBytes($$"""{"kind":"event","n":{{i}}}""")]);
            }

            await WaitUntilAsync(() => writer.Latest?.Count >= 75);
        }

        var set = await store.ReadAllAsync();
        Assert.True(set.Checkpoints.Count >= 3);
        Assert.Equal(101, set.Checkpoints[^1].Checkpoint.Count);
        using var verifier = LoadVerifier(signer);
        var checkpoints = verifier.Verify(set);
        Assert.Empty(checkpoints.Problems);
        var result = new AuditChainVerifier { Checkpoints = checkpoints.Verified }.Verify(AuditDir);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(set.Checkpoints.Count, result.Instances.Single().CheckpointsVerified);

        var file = Directory.GetFiles(AuditDir).Single();
        var lines = File.ReadAllLines(file);
        File.WriteAllText(file, string.Join('\n', lines[..^2]) + "\n");
        Assert.True(new AuditChainVerifier().Verify(AuditDir).IsValid);
        var problem = Assert.Single(new AuditChainVerifier { Checkpoints = checkpoints.Verified }.Verify(AuditDir).Problems);
        Assert.Contains("removed from the end", problem.Message);
    }

    [Fact]
    public async Task Writer_KeepsTheAuditLogRunning_WhenTheStoreFails()
    {
        using var signer = AuditCheckpointSigner.Create();
        var errors = new List<Exception>();
        var writer = await AuditCheckpointWriter.StartAsync(new FailingStore(), signer, "gw-1",
            new CheckpointPolicy { EveryRecords = 1 }, onError: ex => { lock (errors) { errors.Add(ex); } });
        await using (writer)
        {
            using var log = FileAuditLog.Open(new AuditFileOptions { Directory = AuditDir, InstanceId = "gw-1", OnDurable = writer.OnDurable });
            await log.AppendAsync([Encoding.UTF8.GetBytes("""{"kind":"event"}""")]);
            await WaitUntilAsync(() => !writer.IsHealthy);
            await log.AppendAsync([Encoding.UTF8.GetBytes("""{"kind":"event"}""")]);
            Assert.True(log.IsHealthy);
        }

        lock (errors)
        {
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.IsType<IOException>(e));
        }
    }

    [Fact]
    public async Task Writer_ReportsAChainShorterThanItsLastCheckpoint()
    {
        using var signer = AuditCheckpointSigner.Create();
        var store = new FileCheckpointStore(CheckpointDir);
        await store.AppendAsync(signer.Sign("gw-1", new AuditChainState(500, new string('c', 64)), DateTimeOffset.UtcNow));
        var errors = new List<Exception>();
        await using var writer = await AuditCheckpointWriter.StartAsync(store, signer, "gw-1", onError: errors.Add);
        writer.OnDurable(new AuditChainState(3, new string('d', 64)));
        Assert.Contains("records were removed", Assert.Single(errors).Message);
        Assert.False(writer.IsHealthy);
    }

    private AuditCheckpointVerifier LoadVerifier(AuditCheckpointSigner signer)
    {
        var file = Path.Combine(_root.Path, $"{signer.KeyId}.pub.pem");
        File.WriteAllText(file, signer.ExportPublicKeyPem());
        return AuditCheckpointVerifier.Load([file]);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private sealed class FailingStore : IAuditCheckpointStore
    {
        public Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public Task<AuditCheckpoint?> GetLatestAsync(string instance, CancellationToken cancellationToken = default) => Task.FromResult<AuditCheckpoint?>(null);

        public Task<AuditCheckpointSet> ReadAllAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
