using System.Security.Cryptography;
using System.Text;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Verifies hash chains: each record's hash covers its bytes and its predecessor's hash, sequence
/// numbers run without gaps within and across files, and the first record starts from genesis. Reports,
/// per instance, the first broken record (file, line, what is wrong). Truncation of the tail is caught
/// by checking the chain against signed checkpoints stored elsewhere.
/// </summary>
public sealed class AuditChainVerifier
{
    private const int ReadBufferBytes = 1 << 20;

    /// <summary>Called with (records verified so far) as verification proceeds.</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>Checkpoints to check the chains against (signature already verified by the caller).</summary>
    public IReadOnlyList<AuditCheckpoint> Checkpoints { get; init; } = [];

    public AuditVerificationResult Verify(params string[] directories)
    {
        var instances = new List<InstanceVerification>();
        var problems = new List<AuditProblem>();
        var byInstance = new SortedDictionary<string, List<(string Path, long FirstSeq)>>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                problems.Add(new AuditProblem("*", directory, 0, null, "the audit folder does not exist"));
                continue;
            }

            foreach (var (instance, files) in AuditFileNames.Find(directory))
            {
                if (!byInstance.TryGetValue(instance, out var list))
                {
                    byInstance[instance] = list = [];
                }

                list.AddRange(files);
            }
        }

        foreach (var checkpointInstance in Checkpoints.Select(c => c.Instance).Distinct())
        {
            if (!byInstance.ContainsKey(checkpointInstance))
            {
                problems.Add(new AuditProblem(checkpointInstance, "*", 0, null,
                    "signed checkpoints exist for this instance but none of its audit files were found: the files were removed"));
            }
        }

        long total = 0;
        foreach (var (instance, files) in byInstance)
        {
            var result = VerifyInstance(instance, [.. files.OrderBy(f => f.FirstSeq)], ref total);
            instances.Add(result);
            if (result.FirstProblem is not null)
            {
                problems.Add(result.FirstProblem);
            }
        }

        if (instances.Count == 0 && problems.Count == 0)
        {
            problems.Add(new AuditProblem("*", string.Join(", ", directories), 0, null, "no audit files were found"));
        }

        return new AuditVerificationResult(instances, problems);
    }

    private InstanceVerification VerifyInstance(string instance, List<(string Path, long FirstSeq)> files, ref long total)
    {
        var expectedSeq = 1L;
        var prevHash = Encoding.ASCII.GetBytes(AuditJson.GenesisHash);
        var hashHex = new byte[64];
        Span<byte> digest = stackalloc byte[32];
        var checkpoints = Checkpoints.Where(c => c.Instance == instance).OrderBy(c => c.Count).ToList();
        var nextCheckpoint = 0;
        var verifiedCheckpoints = 0;
        AuditProblem? Fail(string file, long line, long? seq, string message) => new(instance, Path.GetFileName(file), line, seq, message);

        foreach (var (path, firstSeq) in files)
        {
            if (firstSeq != expectedSeq)
            {
                var message = firstSeq > expectedSeq
                    ? $"the file starts at seq {firstSeq} but the chain expects {expectedSeq}: records or a whole file are missing before it"
                    : $"the file starts at seq {firstSeq} but the chain is already at {expectedSeq}: a file was duplicated or renamed";
                return Result(Fail(path, 0, null, message));
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var buffer = new byte[ReadBufferBytes];
            var filled = 0;
            long lineNumber = 0;
            var sawAny = false;
            while (true)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                var start = 0;
                while (true)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start);
                    if (newline < 0)
                    {
                        break;
                    }

                    lineNumber++;
                    sawAny = true;
                    var line = buffer.AsSpan(start, newline - start);
                    start = newline + 1;
                    if (!AuditLine.TryGetParts(line, out var seq, out var prev, out var hash, out var hashed))
                    {
                        return Result(Fail(path, lineNumber, null, "the record is malformed (edited, or not an audit record)"));
                    }

                    if (seq != expectedSeq)
                    {
                        return Result(Fail(path, lineNumber, seq, seq > expectedSeq
                            ? $"expected seq {expectedSeq}: {seq - expectedSeq} record(s) were deleted before this one"
                            : $"expected seq {expectedSeq}: a record was inserted or records were reordered"));
                    }

                    if (!prev.SequenceEqual(prevHash))
                    {
                        return Result(Fail(path, lineNumber, seq, "its 'prev' does not match the previous record's hash: records before it were deleted, inserted, reordered or altered"));
                    }

                    SHA256.HashData(hashed, digest);
                    if (!HexEquals(digest, hash))
                    {
                        return Result(Fail(path, lineNumber, seq, "its hash does not match its content: the record was altered"));
                    }

                    hash.CopyTo(hashHex);
                    (prevHash, hashHex) = (hashHex, prevHash);
                    expectedSeq++;
                    total++;
                    if ((total & 0xFFFF) == 0)
                    {
                        Progress?.Invoke(total);
                    }

                    while (nextCheckpoint < checkpoints.Count && checkpoints[nextCheckpoint].Count == seq)
                    {
                        if (!checkpoints[nextCheckpoint].HeadHash.AsSpan().SequenceEqual(Encoding.ASCII.GetString(prevHash)))
                        {
                            return Result(Fail(path, lineNumber, seq, "a signed checkpoint records a different hash for this record: the chain was rewritten"));
                        }

                        verifiedCheckpoints++;
                        nextCheckpoint++;
                    }
                }

                if (read == 0)
                {
                    if (start < filled)
                    {
                        return Result(Fail(path, lineNumber + 1, null, "the file ends with an incomplete record (truncated or torn)"));
                    }

                    break;
                }

                if (start == 0 && filled == buffer.Length)
                {
                    return Result(Fail(path, lineNumber + 1, null, "a record is longer than 1 MiB: the file is corrupt"));
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }

            if (!sawAny)
            {
                return Result(Fail(path, 0, null, "the file is empty"));
            }
        }

        if (nextCheckpoint < checkpoints.Count)
        {
            var checkpoint = checkpoints[^1];
            var last = files.Count > 0 ? files[^1].Path : "*";
            return Result(Fail(last, 0, null,
                $"the chain ends at seq {expectedSeq - 1} but a signed checkpoint covers seq {checkpoint.Count} (signed {checkpoint.Time:u}): records were removed from the end"));
        }

        Progress?.Invoke(total);
        return Result(null);

        InstanceVerification Result(AuditProblem? problem) =>
            new(instance, expectedSeq - 1, Encoding.ASCII.GetString(prevHash), files.Count, problem, verifiedCheckpoints);
    }

    private static bool HexEquals(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> hex)
    {
        Span<byte> expected = stackalloc byte[64];
        Convert.TryToHexStringLower(digest, expected, out _);
        return expected.SequenceEqual(hex);
    }
}
