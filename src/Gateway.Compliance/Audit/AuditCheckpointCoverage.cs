namespace Gateway.Compliance.Audit;

/// <summary>
/// Whether signed checkpoints cover each verified chain up to near its end. A hash chain alone cannot show records
/// cut off its end, and a rewritten chain with its later checkpoint lines deleted verifies as a shorter chain: so an
/// instance without a verified checkpoint, or whose last verified checkpoint stops more than
/// <c>maxUncoveredRecords</c> (the gateway signs every <see cref="CheckpointPolicy.EveryRecords"/>) before
/// the chain's end, is a problem, not a warning.
/// </summary>
public static class AuditCheckpointCoverage
{
    public static IReadOnlyList<AuditProblem> Problems(AuditVerificationResult result, IReadOnlyList<AuditCheckpoint> verified, long maxUncoveredRecords)
    {
        var problems = new List<AuditProblem>();
        foreach (var instance in result.Instances.Where(i => i.FirstProblem is null))
        {
            var covered = verified.Where(c => c.Instance == instance.Instance).Select(c => c.Count).DefaultIfEmpty(-1).Max();
            if (instance.CheckpointsVerified == 0 || covered < 0)
            {
                problems.Add(new AuditProblem(instance.Instance, "checkpoints", 0, null,
                    "no signed checkpoint covers this instance: records cut off its end (or a rewritten chain) cannot be detected"));
            }
            else if (instance.Records - covered > maxUncoveredRecords)
            {
                problems.Add(new AuditProblem(instance.Instance, "checkpoints", 0, null,
                    $"the last signed checkpoint covers {covered} of {instance.Records} records: {instance.Records - covered} records after it exceed the checkpoint interval ({maxUncoveredRecords}); checkpoints after it are missing"));
            }
        }

        return problems;
    }
}
