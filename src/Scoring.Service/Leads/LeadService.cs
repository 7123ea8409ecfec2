using Scoring.Engine.Configuration;
using Scoring.Engine.Funnel;
using Scoring.Engine.Stages;
using Scoring.Service.Hosting;
using Scoring.Service.Storage;

namespace Scoring.Service.Leads;

/// <summary>
/// Evaluates leads and persists what changed. Every read evaluates at the current time first (decay is applied
/// at read time, never by a batch job), and list-style reads first catch up on every lead whose stage may have
/// changed since (the store knows which: next check due, or scored under an older configuration). Writes use
/// optimistic concurrency: if new events arrived meanwhile, the lead is evaluated again.
/// </summary>
internal sealed partial class LeadService
{
    private const int MaxAttempts = 5;
    private const int DueBatchSize = 500;
    private const int MaxDueBatches = 100;

    private readonly ILeadStore _store;
    private readonly ScoringCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger<LeadService> _logger;
    private readonly ScoringMetrics _metrics;

    public LeadService(ILeadStore store, ScoringCatalog catalog, TimeProvider time, ScoringMetrics metrics, ILogger<LeadService> logger)
    {
        _metrics = metrics;
        _store = store;
        _catalog = catalog;
        _time = time;
        _logger = logger;
    }

    /// <summary>The lead that <paramref name="id"/> (its subject or a linked id) belongs to, evaluated now.</summary>
    public async Task<LeadDetails?> GetAsync(string practice, string id, CancellationToken cancellationToken)
    {
        var now = _time.Now();
        for (var attempt = 1; ; attempt++)
        {
            var lead = await _store.FindLeadAsync(practice, id, cancellationToken);
            if (lead is null)
            {
                return null;
            }

            var (config, evaluation, saved) = await EvaluateAndSaveAsync(lead, now, cancellationToken);
            if (saved || attempt == MaxAttempts)
            {
                var transitions = await _store.GetTransitionsAsync(lead.Key, cancellationToken);
                return new LeadDetails(lead with { State = evaluation.State }, config, evaluation, transitions);
            }
        }
    }

    /// <summary>Evaluates one lead at <paramref name="now"/> and persists its transitions (ingest calls this at receive time).</summary>
    public async Task EvaluateAsync(LeadKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var lead = await _store.FindLeadAsync(key.Practice, key.Subject, cancellationToken);
            if (lead is null || (await EvaluateAndSaveAsync(lead, now, cancellationToken)).Saved)
            {
                return;
            }
        }
    }

    /// <summary>Evaluates every lead whose stage may have changed by now, so lists and reports are current.</summary>
    public async Task<DateTimeOffset> CatchUpAsync(CancellationToken cancellationToken)
    {
        var now = _time.Now();
        for (var batch = 0; batch < MaxDueBatches; batch++)
        {
            var due = await _store.FindDueAsync(now, _catalog.Sha256ByVertical, DueBatchSize, cancellationToken);
            foreach (var key in due)
            {
                await EvaluateAsync(key, now, cancellationToken);
            }

            if (due.Count < DueBatchSize)
            {
                break;
            }
        }

        return now;
    }

    /// <summary>Applies a person's stage change after bringing the lead's own stage up to date.</summary>
    public async Task<CommandOutcome> ApplyAsync(
        string practice, string id, Func<ScoringConfig, LeadState, DateTimeOffset, CommandResult> command, string? client, CancellationToken cancellationToken)
    {
        var now = _time.Now();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var lead = await _store.FindLeadAsync(practice, id, cancellationToken);
            if (lead is null)
            {
                return CommandOutcome.NotFound;
            }

            var (config, evaluator) = Configuration(lead);
            var events = await _store.GetEventsAsync(lead.Key, cancellationToken);
            var evaluation = evaluator.Evaluate(lead.State, events, now);
            var result = command(config, evaluation.State, now);
            if (!result.Succeeded)
            {
                return new CommandOutcome(null, result);
            }

            var update = new LeadUpdate(lead.Key, lead.Version, result.State!, null, [.. evaluation.Transitions, result.Transition!], client);
            if (await _store.TrySaveAsync(update, cancellationToken))
            {
                Log.PersonMoved(_logger, practice, result.Transition!.From is { } from ? StageCommands.Name(from) : "-", StageCommands.Name(result.Transition.To));
                var after = evaluation with { State = result.State!, Transitions = [.. evaluation.Transitions, result.Transition], NextCheckAt = null };
                var transitions = await _store.GetTransitionsAsync(lead.Key, cancellationToken);
                return new CommandOutcome(new LeadDetails(lead with { State = result.State! }, config, after, transitions), null);
            }
        }

        throw new InvalidOperationException("The lead kept changing while a stage change was being recorded; try again.");
    }

    public async Task<IReadOnlyList<LeadSummary>> ListAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        var now = await CatchUpAsync(cancellationToken);
        return await SummariesAsync(await _store.ListAsync(query, cancellationToken), now, cancellationToken);
    }

    public async Task<(IReadOnlyList<LeadSummary> Leads, DateTimeOffset Now)> OverdueAsync(OverdueQuery query, CancellationToken cancellationToken)
    {
        var now = await CatchUpAsync(cancellationToken);
        return (await SummariesAsync(await _store.ListOverdueAsync(now, query, cancellationToken), now, cancellationToken), now);
    }

    public async Task<FunnelReport> FunnelAsync(FunnelQuery query, FunnelGrouping groupBy, FunnelPeriod period, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        var leads = await _store.GetFunnelLeadsAsync(query, cancellationToken);
        return FunnelCalculator.Compute(leads, query.From, query.To, groupBy, period);
    }

    private async Task<IReadOnlyList<LeadSummary>> SummariesAsync(IReadOnlyList<LeadRecord> leads, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var summaries = new List<LeadSummary>(leads.Count);
        foreach (var lead in leads)
        {
            var breakdown = _catalog.TryGet(lead.Vertical, out _, out var evaluator)
                ? evaluator.Scorer.Score([.. (await _store.GetEventsAsync(lead.Key, cancellationToken)).Where(e => e.ReceivedAt <= now)], now)
                : null;
            summaries.Add(new LeadSummary(lead, breakdown));
        }

        return summaries;
    }

    private async Task<(ScoringConfig Config, Evaluation Evaluation, bool Saved)> EvaluateAndSaveAsync(LeadRecord lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (config, evaluator) = Configuration(lead);
        var events = await _store.GetEventsAsync(lead.Key, cancellationToken);
        var evaluation = evaluator.Evaluate(lead.State, events, now);
        var needsSave = evaluation.Transitions.Count > 0
            || lead.NextCheckAt is { } due && due <= now
            || lead.State.ConfigSha256 != config.Sha256
            || lead.State.EvaluatedThrough is null;
        if (!needsSave)
        {
            return (config, evaluation, true);
        }

        var saved = await _store.TrySaveAsync(new LeadUpdate(lead.Key, lead.Version, evaluation.State, evaluation.NextCheckAt, evaluation.Transitions, null), cancellationToken);
        if (saved)
        {
            foreach (var transition in evaluation.Transitions)
            {
                Log.SystemMoved(_logger, lead.Key.Practice, transition.From is { } from ? StageCommands.Name(from) : "-", StageCommands.Name(transition.To));
                if (transition.To == LeadStage.Mql)
                {
                    _metrics.Mql(lead.Key.Practice, lead.Vertical);
                }
            }
        }

        return (config, evaluation, saved);
    }

    private (ScoringConfig, LeadEvaluator) Configuration(LeadRecord lead) =>
        _catalog.TryGet(lead.Vertical, out var config, out var evaluator)
            ? (config, evaluator)
            : throw new InvalidOperationException($"No scoring configuration is loaded for vertical '{lead.Vertical}'.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "A lead of practice {Practice} moved from {From} to {To} (score)")]
        public static partial void SystemMoved(ILogger logger, string practice, string from, string to);

        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "A person moved a lead of practice {Practice} from {From} to {To}")]
        public static partial void PersonMoved(ILogger logger, string practice, string from, string to);
    }
}
