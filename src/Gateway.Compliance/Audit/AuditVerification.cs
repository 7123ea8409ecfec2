namespace Gateway.Compliance.Audit;

/// <summary>One problem found in an audit chain, located precisely (file, 1-based line, sequence number).</summary>
public sealed record AuditProblem(string Instance, string File, long Line, long? Seq, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}{(Seq is { } s ? $" (seq {s})" : string.Empty)}: {Message}" : $"{File}: {Message}";
}

/// <summary>The verified state of one instance's chain.</summary>
public sealed record InstanceVerification(string Instance, long Records, string HeadHash, int Files, AuditProblem? FirstProblem, int CheckpointsVerified);

/// <summary>The result of verifying every chain in one or more folders.</summary>
public sealed record AuditVerificationResult(IReadOnlyList<InstanceVerification> Instances, IReadOnlyList<AuditProblem> Problems)
{
    public bool IsValid => Problems.Count == 0 && Instances.Count > 0;

    public long Records => Instances.Sum(i => i.Records);
}

/// <summary>How far verification has come: records and bytes verified so far, out of the bytes of every file found.</summary>
public readonly record struct AuditVerificationProgress(long Records, long Bytes, long TotalBytes);
