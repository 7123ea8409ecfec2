using System.Security.Cryptography;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Checks checkpoint signatures against the instances' public keys, so that only checkpoints the
/// gateway itself signed are trusted by <see cref="AuditChainVerifier.Checkpoints"/>. A checkpoint with an
/// unknown key or a bad signature is a problem (someone edited or forged it), never silently skipped.
/// </summary>
public sealed class AuditCheckpointVerifier : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys;

    private AuditCheckpointVerifier(Dictionary<string, ECDsa> keys)
    {
        _keys = keys;
    }

    /// <summary>The ids of the public keys loaded.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>
    /// Loads public keys (SubjectPublicKeyInfo PEM, <c>-----BEGIN PUBLIC KEY-----</c>) from files, and from
    /// every <c>*.pem</c> public key in folders. A named file that is not a P-256 public key is an error
    /// (a private key included: it does not belong on the verifier's side).
    /// </summary>
    public static AuditCheckpointVerifier Load(IEnumerable<string> paths)
    {
        var keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        try
        {
            foreach (var path in paths)
            {
                if (Directory.Exists(path))
                {
                    foreach (var file in Directory.EnumerateFiles(path, "*.pem").Order(StringComparer.Ordinal))
                    {
                        var text = File.ReadAllText(file);
                        if (text.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
                        {
                            Add(keys, file, text);
                        }
                    }
                }
                else if (File.Exists(path))
                {
                    Add(keys, path, File.ReadAllText(path));
                }
                else
                {
                    throw new AuditKeyException(path, "does not exist");
                }
            }
        }
        catch
        {
            foreach (var key in keys.Values)
            {
                key.Dispose();
            }

            throw;
        }

        return new AuditCheckpointVerifier(keys);
    }

    /// <summary>Verifies every checkpoint's signature; returns the verified ones and a problem for each other.</summary>
    public AuditCheckpointVerification Verify(AuditCheckpointSet set)
    {
        var verified = new List<AuditCheckpoint>();
        var problems = new List<AuditProblem>(set.Problems);
        var lastCount = new Dictionary<string, (long Count, StoredCheckpoint At)>(StringComparer.Ordinal);
        foreach (var stored in set.Checkpoints)
        {
            var checkpoint = stored.Checkpoint;
            AuditProblem Problem(string message) => new(checkpoint.Instance, stored.Source, stored.Line, null, message);
            if (!_keys.TryGetValue(checkpoint.KeyId, out var key))
            {
                problems.Add(Problem($"the checkpoint is signed with key {checkpoint.KeyId}, which is not among the public keys given"));
                continue;
            }

            var signature = TryDecode(checkpoint.Signature);
            var data = AuditCheckpointSigner.CanonicalBytes(checkpoint.Instance, checkpoint.Count, checkpoint.HeadHash, checkpoint.Time);
            if (signature is null || !key.VerifyData(data, signature, HashAlgorithmName.SHA256))
            {
                problems.Add(Problem("the checkpoint's signature does not verify: the checkpoint was altered or forged"));
                continue;
            }

            if (lastCount.TryGetValue(checkpoint.Instance, out var previous) && checkpoint.Count < previous.Count)
            {
                problems.Add(Problem(
                    $"the chain length fell from {previous.Count} (line {previous.At.Line}) to {checkpoint.Count}: the chain was cut back and restarted"));
            }

            lastCount[checkpoint.Instance] = (checkpoint.Count, stored);
            verified.Add(checkpoint);
        }

        return new AuditCheckpointVerification(verified, problems);
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private static void Add(Dictionary<string, ECDsa> keys, string path, string pem)
    {
        if (pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new AuditKeyException(path, "is a private key: give the public key (the .pub.pem file next to it)");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new AuditKeyException(path, "is not an ECDSA public key in PEM form");
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new AuditKeyException(path, "is not a P-256 key");
        }

        var id = AuditCheckpointKeys.KeyIdOf(key);
        if (!keys.TryAdd(id, key))
        {
            key.Dispose();
        }
    }

    private static byte[]? TryDecode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Checkpoints whose signatures verified, and a problem for every one that did not.</summary>
public sealed record AuditCheckpointVerification(IReadOnlyList<AuditCheckpoint> Verified, IReadOnlyList<AuditProblem> Problems);

/// <summary>A public or signing key file could not be used; names the file, never key material.</summary>
public sealed class AuditKeyException(string path, string reason) : Exception($"'{path}' {reason}.")
{
    public string Path { get; } = path;
}
