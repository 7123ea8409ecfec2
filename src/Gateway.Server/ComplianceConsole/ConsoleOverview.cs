using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Baa;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Gateway.Server.Durability;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
using Gateway.Storage.Baa;
using Gateway.Storage.Outbox;
using Gateway.Storage.Quarantine;
using Microsoft.Extensions.Options;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// What the overview page shows, computed per request from the stores, the audit log and the policies in
/// force: warnings first (a BAA expiring within 30/60/90 days, an expired or terminated BAA a policy still
/// sends to, a checkpoint gap, a failed verification), then chain status, today's events, destinations,
/// outbox, dead letters, quarantine and policy versions. Counts and names only: nothing here is PHI.
/// </summary>
internal sealed class ConsoleOverview(
    PracticeDirectory practices, PolicyProvider policies, IBaaRegistry baas, IOutboxStore outbox, IQuarantineStore quarantine, OutboxState outboxState,
    IAuditLog audit, AuditCheckpointing checkpointing, AuditVerificationRuns verifications, IOptions<GatewayOptions> options, TimeProvider time)
{
    /// <summary>Warning thresholds for BAA expiry, in days.</summary>
    public static readonly int[] ExpiryWarningDays = [30, 60, 90];

    public async Task<OverviewModel> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var warnings = new List<OverviewWarning>();
        var destinations = new List<DestinationStatus>();
        var deadLetters = 0;
        var quarantined = 0;
        foreach (var practice in practices.All.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var current = await baas.CurrentAsync(practice.Id, cancellationToken);
            deadLetters += (await outbox.DeadLettersAsync(practice.Id, cancellationToken)).Count;
            quarantined += (await quarantine.ListAsync(practice.Id, cancellationToken)).Count(e => e.ReplayedAt is null);
            if (!policies.TryGetPolicy(practice, out var policy))
            {
                continue;
            }

            // BAAs concern the business associates the policy sends to; ad platforms sign none (docs/destinations.md).
            foreach (var destination in policy.Destinations.Where(d => d.Enabled && d.Kind == DestinationKind.Scoring))
            {
                var baa = current.FirstOrDefault(b => b.Destination == destination.Name);
                var status = BaaState(baa, now);
                destinations.Add(new DestinationStatus(practice.Id, destination.Name, policy.Name, baa, status, destination.WithoutBaa.ToString().ToLowerInvariant()));
                if (baa is not null && !baa.InForceAt(now))
                {
                    warnings.Add(new OverviewWarning("critical",
                        $"{practice.Id}: the BAA for '{destination.Name}' is {status}, and policy {policy.Name} {policy.Version} still sends to it (events needing it are {(destination.WithoutBaa.ToString() == "Drop" ? "dropped" : "de-identified")}).",
                        "/console/baas?practice=" + practice.Id));
                }
                else if (baa?.ExpiresAt is { } expires && ExpiryWarningDays.FirstOrDefault(d => expires - now <= TimeSpan.FromDays(d)) is > 0 and var days)
                {
                    warnings.Add(new OverviewWarning(days == 30 ? "critical" : "warning",
                        $"{practice.Id}: the BAA for '{destination.Name}' expires within {days} days ({expires.UtcDateTime:yyyy-MM-dd}).",
                        "/console/baas?practice=" + practice.Id));
                }
                else if (baa is null)
                {
                    warnings.Add(new OverviewWarning("warning", $"{practice.Id}: no BAA is recorded for '{destination.Name}': only de-identified data may go there.", "/console/baas?practice=" + practice.Id));
                }
            }
        }

        var chain = Chain(now, warnings);
        var today = Today(now);
        var pending = await outbox.PendingAsync(cancellationToken);
        outboxState.Refresh(pending);
        return new OverviewModel(
            now,
            [.. warnings.OrderBy(w => w.Severity == "critical" ? 0 : 1)],
            chain,
            today,
            destinations,
            pending.Sum(p => p.Count),
            outboxState.OldestAge(now),
            deadLetters,
            quarantined,
            [.. policies.Current.All.Select(p => new PolicyInForce(p.Name, p.Version, p.Sha256))],
            policies.LastReload);
    }

    /// <summary>The state word for a BAA at <paramref name="now"/>: none, in force, not yet effective, expired, terminated.</summary>
    public static string BaaState(BaaRecord? baa, DateTimeOffset now) => baa switch
    {
        null => "none",
        { Status: BaaStatus.Terminated } => "terminated",
        _ when baa.InForceAt(now) => "in force",
        _ when baa.EffectiveFrom > now => "not yet effective",
        _ => "expired",
    };

    private ChainStatus Chain(DateTimeOffset now, List<OverviewWarning> warnings)
    {
        var head = audit.Head;
        var latest = checkpointing.Writer?.Latest;
        var checkpoints = options.Value.Audit.Checkpoints;
        var last = verifications.Last;
        var gap = false;
        if (checkpointing.Writer is null)
        {
            warnings.Add(new OverviewWarning("critical", "Audit checkpoints are disabled: records cut off the end of the chain cannot be detected.", "/console/audit"));
        }
        else if (head.Count > (latest?.Count ?? 0)
            && (head.Count - (latest?.Count ?? 0) > checkpoints.EveryRecords * 2
                || (latest is { } l && now - l.Time > TimeSpan.FromSeconds(checkpoints.EverySeconds * 3))))
        {
            gap = true;
            warnings.Add(new OverviewWarning("critical",
                $"Checkpoint gap on {options.Value.InstanceId}: {head.Count - (latest?.Count ?? 0)} record(s) written since the last signed checkpoint{(latest is null ? string.Empty : $" ({latest.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)")}.",
                "/console/audit"));
        }

        if (last is { Succeeded: false })
        {
            warnings.Add(new OverviewWarning("critical",
                $"The last audit verification ({last.FinishedAt?.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC) failed: {(last.Error ?? last.Problems.FirstOrDefault()?.ToString() ?? "no chain was found")}.",
                "/console/audit"));
        }

        return new ChainStatus(options.Value.InstanceId, head.Count, head.HeadHash, audit.IsHealthy, latest, checkpointing.Writer?.IsHealthy ?? false, gap, last);
    }

    /// <summary>Today's (UTC) event records of this instance by outcome and by reason.</summary>
    private TodayCounts Today(DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var reader = new AuditReader([checkpointing.AuditDirectory]);
        var statistics = AuditStatistics.Compute(reader.Read(new AuditQuery { From = start, Kinds = new HashSet<string>([AuditKinds.Event], StringComparer.Ordinal) }));
        return new TodayCounts(statistics.Group("outcome"), statistics.Group("reason"));
    }
}

internal sealed record OverviewModel(
    DateTimeOffset Now,
    IReadOnlyList<OverviewWarning> Warnings,
    ChainStatus Chain,
    TodayCounts Today,
    IReadOnlyList<DestinationStatus> Destinations,
    long OutboxDepth,
    TimeSpan OutboxOldest,
    int DeadLetters,
    int Quarantined,
    IReadOnlyList<PolicyInForce> Policies,
    ReloadStatus LastReload);

/// <summary>A warning, <c>critical</c> or <c>warning</c>, with the page that deals with it.</summary>
internal sealed record OverviewWarning(string Severity, string Message, string Link);

internal sealed record ChainStatus(string Instance, long Records, string HeadHash, bool AuditHealthy, AuditCheckpoint? LastCheckpoint, bool CheckpointsHealthy, bool Gap, VerificationRun? LastVerification);

internal sealed record TodayCounts(IReadOnlyDictionary<string, long> ByOutcome, IReadOnlyDictionary<string, long> ByReason);

internal sealed record DestinationStatus(string Practice, string Destination, string Vertical, BaaRecord? Baa, string BaaState, string WithoutBaa);

internal sealed record PolicyInForce(string Vertical, string Version, string Sha256);
