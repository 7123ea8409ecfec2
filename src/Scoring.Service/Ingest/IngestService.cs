using Scoring.Service.Hosting;
using Scoring.Service.Leads;
using Scoring.Service.Storage;

namespace Scoring.Service.Ingest;

/// <summary>
/// Stores a batch (durably, deduplicated by message id) and then evaluates the leads it touched at the receive
/// time. Storing is what the gateway's 200 promises; if evaluation fails the events are still stored and the
/// leads stay marked due, so the next read evaluates them.
/// </summary>
internal sealed partial class IngestService
{
    private readonly ILeadStore _store;
    private readonly LeadService _leads;
    private readonly ILogger<IngestService> _logger;
    private readonly ScoringMetrics _metrics;

    public IngestService(ILeadStore store, LeadService leads, ScoringMetrics metrics, ILogger<IngestService> logger)
    {
        _metrics = metrics;
        _store = store;
        _leads = leads;
        _logger = logger;
    }

    public async Task<AppendResult> IngestAsync(IncomingBatch batch, CancellationToken cancellationToken)
    {
        using var span = ScoringMetrics.Tracing.StartActivity("scoring.ingest");
        span?.SetTag("scoring.practice", batch.Practice);
        span?.SetTag("scoring.vertical", batch.Vertical);
        var result = await _store.AppendAsync(batch, cancellationToken);
        _metrics.Events(batch.Practice, batch.Vertical, result.Accepted, result.Duplicates);
        span?.SetTag("scoring.accepted", result.Accepted);
        span?.SetTag("scoring.duplicates", result.Duplicates);
        try
        {
            foreach (var key in result.AffectedLeads)
            {
                await _leads.EvaluateAsync(key, batch.ReceivedAt, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.EvaluationDeferred(_logger, batch.Practice, ex.GetType().Name);
        }

        Log.BatchStored(_logger, batch.Practice, batch.Vertical, result.Accepted, result.Duplicates);
        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Batch for practice {Practice} ({Vertical}): {Accepted} new, {Duplicates} duplicate events")]
        public static partial void BatchStored(ILogger logger, string practice, string vertical, int accepted, int duplicates);

        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Batch for practice {Practice} stored; evaluating its leads failed ({Error}) and is deferred to the next read")]
        public static partial void EvaluationDeferred(ILogger logger, string practice, string error);
    }
}
