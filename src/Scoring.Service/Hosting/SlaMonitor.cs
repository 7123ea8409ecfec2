using Scoring.Service.Leads;
using Scoring.Service.Storage;

namespace Scoring.Service.Hosting;

/// <summary>
/// Every minute, brings leads up to date and counts the MQLs past their hand-off SLA per vertical: the
/// <c>scoring.mql.overdue</c> gauge, and <c>scoring.sla_breaches</c> once for each lead newly found overdue since
/// the service started. The leads seen are held in memory only (their keys are pseudonyms: never a metric tag).
/// </summary>
internal sealed partial class SlaMonitor(LeadService leads, ScoringMetrics metrics, ILogger<SlaMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly HashSet<LeadKey> _breached = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.CheckFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One check (also called by tests).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var (overdue, _) = await leads.OverdueAsync(new OverdueQuery(null, null, null, null), cancellationToken);
        metrics.OverdueNow(overdue.GroupBy(l => l.Lead.Vertical).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
        foreach (var lead in overdue)
        {
            if (_breached.Add(lead.Lead.Key))
            {
                metrics.SlaBreached(lead.Lead.Vertical);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Checking overdue MQLs failed ({Error}); retried in a minute")]
        public static partial void CheckFailed(ILogger logger, string error);
    }
}
