using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// Verifies this instance's audit chain on demand, in the background, with the same verifier as
/// <c>gatewayctl audit verify</c> and against the signed checkpoints (checked with the instance's public key),
/// so the console can show progress and, afterwards, the last result. One run at a time.
/// </summary>
internal sealed partial class AuditVerificationRuns(AuditCheckpointing checkpointing, IOptions<GatewayOptions> options, TimeProvider time, ILogger<AuditVerificationRuns> logger)
{
    private readonly Lock _gate = new();
    private volatile VerificationRun? _current;
    private volatile VerificationRun? _last;

    /// <summary>The run in progress, if any.</summary>
    public VerificationRun? Current => _current;

    /// <summary>The last finished run since start (null before the first).</summary>
    public VerificationRun? Last => _last;

    public string Instance => options.Value.InstanceId;

    /// <summary>Starts a run unless one is in progress; returns the run in progress.</summary>
    public VerificationRun Start(string startedBy)
    {
        lock (_gate)
        {
            if (_current is { } running)
            {
                return running;
            }

            var run = new VerificationRun(startedBy, time.GetUtcNow());
            _current = run;
            _ = Task.Run(() => RunAsync(run));
            return run;
        }
    }

    private async Task RunAsync(VerificationRun run)
    {
        try
        {
            IReadOnlyList<AuditCheckpoint> verified = [];
            var problems = new List<AuditProblem>();
            var only = new HashSet<string>([Instance], StringComparer.Ordinal);
            if (checkpointing.Store is { } store && checkpointing.PublicKeyFile is { } key && File.Exists(key))
            {
                var set = await store.ReadAllAsync();
                set = new AuditCheckpointSet([.. set.Checkpoints.Where(c => only.Contains(c.Checkpoint.Instance))], [.. set.Problems.Where(p => only.Contains(p.Instance))]);
                using var verifier = AuditCheckpointVerifier.Load([key]);
                var checkedSet = verifier.Verify(set);
                verified = checkedSet.Verified;
                problems.AddRange(checkedSet.Problems);
            }
            else
            {
                run.CheckpointsMissing = true;
            }

            var result = new AuditChainVerifier
            {
                Checkpoints = verified,
                Instances = only,
                Parallelism = 1,
                Progress = p => run.Report(p),
            }.Verify(checkpointing.AuditDirectory);
            problems.AddRange(result.Problems);
            run.Finish(result, problems, time.GetUtcNow());
        }
#pragma warning disable CA1031 // A failed run is reported on the page; the message names files, never record content.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Failed(logger, ex.GetType().Name);
            run.Fail(ex.GetType().Name, time.GetUtcNow());
        }
        finally
        {
            lock (_gate)
            {
                _last = run;
                _current = null;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "An audit verification started from the console failed ({Error})")]
        public static partial void Failed(ILogger logger, string error);
    }
}

/// <summary>One verification: its progress while running, its result when finished.</summary>
internal sealed class VerificationRun(string startedBy, DateTimeOffset startedAt)
{
    private AuditVerificationProgress _progress;

    public string StartedBy { get; } = startedBy;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? FinishedAt { get; private set; }

    public AuditVerificationProgress Progress => _progress;

    public AuditVerificationResult? Result { get; private set; }

    public IReadOnlyList<AuditProblem> Problems { get; private set; } = [];

    public string? Error { get; private set; }

    public bool CheckpointsMissing { get; set; }

    public bool Succeeded => Error is null && Result is { IsValid: true } && Problems.Count == 0;

    public void Report(AuditVerificationProgress progress) => _progress = progress;

    public void Finish(AuditVerificationResult result, IReadOnlyList<AuditProblem> problems, DateTimeOffset at)
    {
        Result = result;
        Problems = problems;
        FinishedAt = at;
    }

    public void Fail(string error, DateTimeOffset at)
    {
        Error = error;
        FinishedAt = at;
    }
}
