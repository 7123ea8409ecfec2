using System.Text;
using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Commands;

public class AuditVerifyCommandTests(KnownLogFixture log) : IClassFixture<KnownLogFixture>, IDisposable
{
    private readonly TempDirectory _work = new("verify");

    public void Dispose() => _work.Dispose();

    private string AuditCopy()
    {
        var target = Path.Combine(_work.Path, "audit");
        PolicyCopy.Copy(log.AuditDir, target);
        return target;
    }

    /// <summary>Signs a checkpoint of the log's current head (as the gateway would) and writes the public key.</summary>
    private async Task<(string Checkpoints, string PublicKey)> CheckpointAsync(string audit)
    {
        using var signer = AuditCheckpointSigner.Create();
        var files = AuditFileNames.Find(audit)[KnownAuditLog.Instance];
        var last = File.ReadAllLines(files[^1].Path)[^1];
        Assert.True(AuditLine.TryParseChain(Encoding.UTF8.GetBytes(last), out var seq, out _, out var hash));
        var store = new FileCheckpointStore(Path.Combine(_work.Path, "checkpoints"));
        await store.AppendAsync(signer.Sign(KnownAuditLog.Instance, new AuditChainState(seq - 3, HashAt(files, seq - 3)), KnownAuditLog.Start));
        await store.AppendAsync(signer.Sign(KnownAuditLog.Instance, new AuditChainState(seq, hash), KnownAuditLog.Start.AddDays(4)));
        var key = Path.Combine(_work.Path, "keys", "gw-known.pub.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        await File.WriteAllTextAsync(key, signer.ExportPublicKeyPem());
        return (store.Directory, key);
    }

    private static string HashAt(IReadOnlyList<(string Path, long FirstSeq)> files, long seq)
    {
        foreach (var line in files.SelectMany(f => File.ReadLines(f.Path)))
        {
            AuditLine.TryParseChain(Encoding.UTF8.GetBytes(line), out var s, out _, out var hash);
            if (s == seq)
            {
                return hash;
            }
        }

        throw new InvalidOperationException("seq not found");
    }

    [Fact]
    public void IntactLog_WithoutCheckpoints_Exits1_UnlessExplicitlyAllowed()
    {
        var strict = Ctl.Run("audit", "verify", log.AuditDir);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("FAILED *: checkpoints: no signed checkpoints were given", strict.Out);

        var result = Ctl.Run("audit", "verify", log.AuditDir, "--allow-missing-checkpoints");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("gw-known", result.Out);
        Assert.Contains("13", result.Out);
        Assert.Contains("OK (chains only): every chain verified", result.Out);
        Assert.Matches(@"verified 13 records in [\d.]+ s \([\d,]+ records/s\)", result.Out);
        Assert.Contains("no signed checkpoints were given", result.Error);
    }

    [Fact]
    public async Task IntactLog_WithSignedCheckpoints_Exits0_AndCountsThem()
    {
        var audit = AuditCopy();
        var (checkpoints, key) = await CheckpointAsync(audit);
        var result = Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", Path.GetDirectoryName(key)!);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"│ gw-known\s+│ 13\s+│ 4\s+│ [0-9a-f]{64} │ 2\s+│ ok", result.Out);
        Assert.DoesNotContain("warning", result.Error);
    }

    [Fact]
    public void EditedRecord_Exits1_NamingFileLineAndSeq()
    {
        var audit = AuditCopy();
        var file = AuditFileNames.Find(audit)[KnownAuditLog.Instance][1].Path;
        var lines = File.ReadAllLines(file);
        var edited = lines[1].Replace("\"outcome\":\"rejected\"", "\"outcome\":\"forward\"", StringComparison.Ordinal);
        Assert.NotEqual(lines[1], edited);
        lines[1] = edited;
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        var result = Ctl.Run("audit", "verify", audit);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches($@"FAILED gw-known: {Path.GetFileName(file)}:2 \(seq \d+\): its hash does not match its content", result.Out);
        Assert.Contains("FAILED: the audit log was altered", result.Out);
    }

    [Fact]
    public async Task TailCutAfterACheckpoint_Exits1()
    {
        var audit = AuditCopy();
        var (checkpoints, key) = await CheckpointAsync(audit);
        var last = AuditFileNames.Find(audit)[KnownAuditLog.Instance][^1].Path;
        File.Delete(last);
        var result = Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", key);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("records were removed from the end", result.Out);
    }

    [Fact]
    public async Task DeletedCheckpointLines_Exit1_UnlessExplicitlyAllowed()
    {
        var audit = AuditCopy();
        var (checkpoints, key) = await CheckpointAsync(audit);
        var file = Path.Combine(checkpoints, FileCheckpointStore.FileNameFor(KnownAuditLog.Instance));
        var lines = File.ReadAllLines(file);

        // The later checkpoint removed: the earlier one stops 3 records before the end.
        File.WriteAllText(file, lines[0] + "\n");
        var early = Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", key, "--max-uncovered-records", "2");
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("the last signed checkpoint covers 10 of 13 records", early.Out);
        Assert.Equal(0, Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", key).ExitCode);

        // Every checkpoint line removed.
        File.WriteAllText(file, string.Empty);
        var none = Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", key);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no signed checkpoint covers this instance", none.Out);
        Assert.Equal(0, Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", key, "--allow-missing-checkpoints").ExitCode);
    }

    [Fact]
    public async Task ExportedCheckpoints_VerifyALaterLog_AndStillCatchACutOffTail_WhenTheLiveCheckpointsAreGone()
    {
        var audit = AuditCopy();
        var (checkpoints, key) = await CheckpointAsync(audit);
        var exported = Path.Combine(_work.Path, "officer-copy");
        var export = Ctl.Run("audit", "checkpoints", "export", "--checkpoints", checkpoints, "--public-key", key, "--out", exported);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("exported 2 signed checkpoints of 1 instance", export.Out);
        Assert.Equal(0, Ctl.Run("audit", "verify", audit, "--checkpoints", exported, "--public-key", key).ExitCode);

        // An insider cuts the end of the log and deletes the live checkpoints: the officer's copy still shows it.
        Directory.Delete(checkpoints, recursive: true);
        File.Delete(AuditFileNames.Find(audit)[KnownAuditLog.Instance][^1].Path);
        var result = Ctl.Run("audit", "verify", audit, "--checkpoints", exported, "--public-key", key);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("records were removed from the end", result.Out);
    }

    [Fact]
    public async Task EditedCheckpoint_Exits1_NamingTheCheckpointLine()
    {
        var audit = AuditCopy();
        var (checkpoints, key) = await CheckpointAsync(audit);
        var file = Path.Combine(checkpoints, "checkpoints-gw-known.jsonl");
        var lines = File.ReadAllLines(file);
        lines[1] = lines[1].Replace("\"count\":13", "\"count\":12", StringComparison.Ordinal);
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        var result = Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", key);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("checkpoints-gw-known.jsonl:2: the checkpoint's signature does not verify", result.Out);
    }

    [Fact]
    public async Task CheckpointsVerifiedWithAnotherKey_Exit1()
    {
        var audit = AuditCopy();
        var (checkpoints, _) = await CheckpointAsync(audit);
        using var other = AuditCheckpointSigner.Create();
        var otherKey = Path.Combine(_work.Path, "other.pub.pem");
        await File.WriteAllTextAsync(otherKey, other.ExportPublicKeyPem());
        var result = Ctl.Run("audit", "verify", audit, "--checkpoints", checkpoints, "--public-key", otherKey);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not among the public keys given", result.Out);
    }

    [Fact]
    public void SeveralInstances_AreVerifiedTogether()
    {
        var second = Path.Combine(_work.Path, "second");
        Directory.CreateDirectory(second);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var head = AuditChainState.Genesis;
        for (var i = 0; i < 5; i++)
        {
            head = AuditRecordEncoder.Append(buffer, """{"kind":"system","action":"audit-opened"}"""u8, head, KnownAuditLog.Start, "gw-2");
        }

        File.WriteAllBytes(Path.Combine(second, AuditFileNames.For("gw-2", 1)), buffer.WrittenSpan.ToArray());
        var result = Ctl.Run("audit", "verify", log.AuditDir, second, "--allow-missing-checkpoints");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("gw-2", result.Out);
        Assert.Contains("verified 18 records", result.Out);

        var only = Ctl.Run("audit", "verify", log.AuditDir, second, "--instance", "gw-2");
        Assert.Contains("verified 5 records", only.Out);
    }

    [Fact]
    public async Task UsageErrors_Exit2()
    {
        Assert.Equal(2, Ctl.Run("audit", "verify").ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "verify", Path.Combine(_work.Path, "missing")).ExitCode);
        Assert.Equal(2, Ctl.Run("audit", "verify", log.AuditDir, "--checkpoints", _work.Path).ExitCode);

        using var signer = AuditCheckpointSigner.Create();
        var privateKey = Path.Combine(_work.Path, "private.pem");
        await File.WriteAllTextAsync(privateKey, signer.ExportPrivateKeyPem());
        var result = Ctl.Run("audit", "verify", log.AuditDir, "--checkpoints", _work.Path, "--public-key", privateKey);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a private key", result.Error);
        Assert.DoesNotContain("MIG", result.All);
    }

    [Fact]
    public void EmptyFolder_Exits1_NoAuditFiles()
    {
        var empty = Path.Combine(_work.Path, "empty");
        Directory.CreateDirectory(empty);
        var result = Ctl.Run("audit", "verify", empty);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no audit files were found", result.Out);
    }
}
