using Scoring.Engine.Configuration;
using Scoring.Engine.Events;
using Scoring.Engine.Funnel;
using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;
using Scoring.Service.Handoffs;
using Scoring.Service.Hosting;
using Scoring.Service.Storage;

namespace Scoring.Service.Leads;

/// <summary>
/// Evaluates leads and persists what changed, with the hand-offs each change causes (queued in the same
/// transaction). Every read evaluates at the current time first (decay is applied at read time, never by a batch
/// job), and list-style reads (and the hand-off worker) first catch up on every lead whose stage may have changed
/// since (the store knows which: next check due, or scored under an older configuration). Writes use optimistic
/// concurrency: if new events arrived meanwhile, the lead is evaluated again.
/// </summary>
internal sealed partial class LeadService
{
    private const int MaxAttempts = 5;
    private const int DueBatchSize = 500;
    private const int MaxDueBatches = 100;

    private readonly ILeadStore _store;
    private readonly ScoringCatalog _catalog;
    private readonly HandoffPublisher _handoffs;
    private readonly TimeProvider _time;
    private readonly ILogger<LeadService> _logger;
    private readonly ScoringMetrics _metrics;

    public LeadService(ILeadStore store, ScoringCatalog catalog, HandoffPublisher handoffs, TimeProvider time, ScoringMetrics metrics, ILogger<LeadService> logger)
    {
        _metrics = metrics;
        _store = store;
        _catalog = catalog;
        _handoffs = handoffs;
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

            var (profile, evaluation, saved) = await EvaluateAndSaveAsync(lead, now, cancellationToken);
            if (saved || attempt == MaxAttempts)
            {
                var transitions = await _store.GetTransitionsAsync(lead.Key, cancellationToken);
                return new LeadDetails(lead with { State = evaluation.State }, profile, evaluation, transitions);
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
            var due = await _store.FindDueAsync(now, _catalog.Configurations, DueBatchSize, cancellationToken);
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
        string practice, string id, Func<ScoringProfile, LeadState, DateTimeOffset, CommandResult> command, string? client, CancellationToken cancellationToken)
    {
        var now = _time.Now();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var lead = await _store.FindLeadAsync(practice, id, cancellationToken);
            if (lead is null)
            {
                return CommandOutcome.NotFound;
            }

            var evaluator = Evaluator(lead);
            var events = await _store.GetEventsAsync(lead.Key, cancellationToken);
            var recorded = await _store.GetTransitionsAsync(lead.Key, cancellationToken);
            var evaluation = evaluator.Evaluate(lead.State, [.. recorded.Select(t => t.Transition)], events, now);
            var result = command(evaluator.Profile, evaluation.State, now);
            if (!result.Succeeded)
            {
                return new CommandOutcome(null, result);
            }

            var changes = (IReadOnlyList<StageTransition>)[.. evaluation.Transitions, result.Transition!];
            var update = new LeadUpdate(
                lead.Key, lead.Version, result.State!, null, evaluation.Rewrite, [result.Transition!], client, Facts(evaluator.Profile, evaluation.Breakdown),
                _handoffs.For(lead.Key, evaluator.Profile, result.State!, changes, evaluation.Breakdown, now));
            if (await _store.TrySaveAsync(update, cancellationToken))
            {
                Log.PersonMoved(_logger, practice, result.Transition!.From is { } from ? StageCommands.Name(from) : "-", StageCommands.Name(result.Transition.To));
                var after = evaluation with { State = result.State!, Transitions = changes, NextCheckAt = null };
                var transitions = await _store.GetTransitionsAsync(lead.Key, cancellationToken);
                return new CommandOutcome(new LeadDetails(lead with { State = result.State! }, evaluator.Profile, after, transitions), null);
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

    /// <summary>The lead's score at <paramref name="now"/> (null when its vertical is not loaded).</summary>
    public async Task<ScoreBreakdown?> ScoreAsync(LeadRecord lead, DateTimeOffset now, CancellationToken cancellationToken) =>
        _catalog.TryGet(lead.Vertical, lead.Key.Practice, out var evaluator)
            ? evaluator.Scorer.Score([.. (await _store.GetEventsAsync(lead.Key, cancellationToken)).Where(e => e.ReceivedAt <= now)], now)
            : null;

    private async Task<IReadOnlyList<LeadSummary>> SummariesAsync(IReadOnlyList<LeadRecord> leads, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var summaries = new List<LeadSummary>(leads.Count);
        foreach (var lead in leads)
        {
            summaries.Add(new LeadSummary(lead, await ScoreAsync(lead, now, cancellationToken)));
        }

        return summaries;
    }

    private async Task<(ScoringProfile Profile, Evaluation Evaluation, bool Saved)> EvaluateAndSaveAsync(LeadRecord lead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var evaluator = Evaluator(lead);
        var events = await _store.GetEventsAsync(lead.Key, cancellationToken);
        var recorded = (await _store.GetTransitionsAsync(lead.Key, cancellationToken)).Select(t => t.Transition).ToList();
        var evaluation = evaluator.Evaluate(lead.State, recorded, events, now);
        var facts = Facts(evaluator.Profile, evaluation.Breakdown);
        var needsSave = evaluation.Transitions.Count > 0
            || evaluation.Rewrite.Changes(recorded)
            || lead.NextCheckAt is { } due && due <= now
            || lead.State.ConfigSha256 != evaluator.Profile.Sha256
            || lead.State.EvaluatedThrough is null
            || facts != lead.Facts;
        if (!needsSave)
        {
            return (evaluator.Profile, evaluation, true);
        }

        var handoffs = _handoffs.For(lead.Key, evaluator.Profile, evaluation.State, evaluation.Transitions, evaluation.Breakdown, now);
        var update = new LeadUpdate(lead.Key, lead.Version, evaluation.State, evaluation.NextCheckAt, evaluation.Rewrite, [], null, facts, handoffs);
        var saved = await _store.TrySaveAsync(update, cancellationToken);
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

        return (evaluator.Profile, evaluation, saved);
    }

    /// <summary>The lead's location (its practice location, else the one it names), service line and type, now.</summary>
    private static LeadFacts Facts(ScoringProfile profile, ScoreBreakdown breakdown)
    {
        string? Normalized(string attribute) => breakdown.AttributeValueOf(attribute) is { } value ? FieldValues.Normalize(value) : null;
        return new LeadFacts(
            profile.LocationOf(breakdown.AttributeValueOf)?.Id ?? Normalized(WellKnownAttributes.Location),
            Normalized(WellKnownAttributes.ServiceLine),
            breakdown.LeadType);
    }

    private LeadEvaluator Evaluator(LeadRecord lead) =>
        _catalog.TryGet(lead.Vertical, lead.Key.Practice, out var evaluator)
            ? evaluator
            : throw new InvalidOperationException($"No scoring configuration is loaded for vertical '{lead.Vertical}'.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "A lead of practice {Practice} moved from {From} to {To} (score)")]
        public static partial void SystemMoved(ILogger logger, string practice, string from, string to);

        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "A person moved a lead of practice {Practice} from {From} to {To}")]
        public static partial void PersonMoved(ILogger logger, string practice, string from, string to);
    }
}
