using Microsoft.Extensions.Options;
using Scoring.Service.Handoffs.Senders;
using Scoring.Service.Hosting;
using Scoring.Service.Leads;
using Scoring.Service.Options;
using Scoring.Service.Storage;

namespace Scoring.Service.Handoffs;

/// <summary>
/// Pushes hand-offs to the destinations practices configure, every <c>Handoffs:PollSeconds</c>: catches up on leads
/// whose stage changed by the passing of time (an MQL that lapsed), queues an <c>sla_breach</c> for each MQL past
/// due, and delivers due outbox messages, retrying failures with backoff (30 s doubling, at most an hour apart) until
/// <c>Handoffs:MaxAttempts</c>. Runs only when a destination is configured. One pass at a time per instance; several
/// instances share the outbox through leases.
/// </summary>
internal sealed partial class HandoffWorker : BackgroundService
{
    private const int ClaimBatch = 50;
    private static readonly TimeSpan s_lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromHours(1);

    private readonly LeadService _leads;
    private readonly IHandoffOutbox _outbox;
    private readonly HandoffDestinations _destinations;
    private readonly HandoffPublisher _publisher;
    private readonly IReadOnlyDictionary<string, IHandoffSender> _senders;
    private readonly IOptions<HandoffOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HandoffWorker> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<(LeadKey, DateTimeOffset)> _breaches = [];
    private readonly ILeadStore _store;

    public HandoffWorker(
        LeadService leads, ILeadStore store, IHandoffOutbox outbox, HandoffDestinations destinations, HandoffPublisher publisher,
        IEnumerable<IHandoffSender> senders, IOptions<HandoffOptions> options, TimeProvider time, ILogger<HandoffWorker> logger)
    {
        _leads = leads;
        _store = store;
        _outbox = outbox;
        _destinations = destinations;
        _publisher = publisher;
        _senders = senders.ToDictionary(s => s.Kind, StringComparer.Ordinal);
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: 30 s, 1 min, 2 min, ... at most 1 h.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(s_maxRetry.Ticks, s_firstRetry.Ticks * (1L << Math.Min(attempts - 1, 20))));

    /// <summary>One pass: catch up, queue SLA breaches, deliver what is due.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _leads.CatchUpAsync(cancellationToken);
            await QueueBreachesAsync(cancellationToken);
            await DeliverAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_destinations.All.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PassFailed(_logger, ex.GetType().Name);
            }

            await Task.Delay(TimeSpan.FromSeconds(_options.Value.PollSeconds), _time, stoppingToken);
        }
    }

    private async Task QueueBreachesAsync(CancellationToken cancellationToken)
    {
        var overdueNow = new HashSet<(LeadKey, DateTimeOffset)>();
        foreach (var practice in _destinations.All.Select(d => d.Practice).Distinct(StringComparer.Ordinal))
        {
            if (!_publisher.AnyFor(practice, HandoffKinds.SlaBreach))
            {
                continue;
            }

            var now = _time.Now();
            foreach (var lead in await _store.ListOverdueAsync(now, new OverdueQuery(practice, null, null, null), cancellationToken))
            {
                // Each breach is queued once; an MQL overdue for weeks is not scored again every pass.
                var breach = (lead.Key, lead.State.Handoff!.AssignedAt);
                overdueNow.Add(breach);
                if (_breaches.Contains(breach))
                {
                    continue;
                }

                foreach (var message in _publisher.Breach(lead.Key, lead.State.Handoff, await _leads.ScoreAsync(lead, now, cancellationToken), now))
                {
                    await _outbox.EnqueueAsync(message, cancellationToken);
                }

                _breaches.Add(breach);
            }
        }

        // Forget what is no longer overdue (handled, recycled): the set stays as small as the overdue list.
        _breaches.IntersectWith(overdueNow);
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _time.Now();
            var claimed = await _outbox.ClaimDueAsync(now, now + s_lease, ClaimBatch, cancellationToken);
            foreach (var delivery in claimed)
            {
                await DeliverAsync(delivery, cancellationToken);
            }

            if (claimed.Count < ClaimBatch)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var message = delivery.Message;
        var attempts = delivery.Attempts + 1;
        if (_destinations.Find(message.Destination) is not { } destination || !_senders.TryGetValue(destination.Kind, out var sender))
        {
            await _outbox.MarkFailedAsync(delivery.Id, _time.Now(), null, "destination no longer configured", cancellationToken);
            Log.GaveUp(_logger, message.Kind, message.Destination, message.Practice, attempts, "destination no longer configured");
            return;
        }

        var result = await sender.SendAsync(destination, HandoffPayload.FromJson(message.Payload), message.Payload, cancellationToken);
        var at = _time.Now();
        if (result.Delivered)
        {
            await _outbox.MarkDeliveredAsync(delivery.Id, at, result.Status, cancellationToken);
            Log.Delivered(_logger, message.Kind, destination.Name, message.Practice, attempts);
        }
        else if (result.Retry && attempts < _options.Value.MaxAttempts)
        {
            await _outbox.MarkFailedAsync(delivery.Id, at, at + Backoff(attempts), result.Status, cancellationToken);
            Log.WillRetry(_logger, message.Kind, destination.Name, message.Practice, attempts, result.Status);
        }
        else
        {
            await _outbox.MarkFailedAsync(delivery.Id, at, null, result.Status, cancellationToken);
            Log.GaveUp(_logger, message.Kind, destination.Name, message.Practice, attempts, result.Status);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Hand-off {Kind} of practice {Practice} delivered to {Destination} (attempt {Attempt})")]
        public static partial void Delivered(ILogger logger, string kind, string destination, string practice, int attempt);

        [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Hand-off {Kind} of practice {Practice} to {Destination} failed ({Status}) at attempt {Attempt}; will retry")]
        public static partial void WillRetry(ILogger logger, string kind, string destination, string practice, int attempt, string status);

        [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Hand-off {Kind} of practice {Practice} to {Destination} given up after {Attempt} attempt(s): {Status}")]
        public static partial void GaveUp(ILogger logger, string kind, string destination, string practice, int attempt, string status);

        [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "A hand-off pass failed ({Error}); the next pass retries")]
        public static partial void PassFailed(ILogger logger, string error);
    }
}
