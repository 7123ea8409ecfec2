using Pms.Connectors.Events;
using Pms.Connectors.State;

namespace Pms.Connectors.Delivery;

/// <summary>
/// Batches a connector's events to the gateway, skipping those the ledger already holds, and records each batch's
/// outcome durably before the next one is sent. Call <see cref="FlushAsync"/> before moving a cursor or a file.
/// </summary>
public sealed class EventDelivery(string connector, GatewaySender sender, ConnectorStateStore state)
{
    private readonly List<PmsEvent> _pending = [];
    private readonly HashSet<string> _pendingIds = new(StringComparer.Ordinal);

    /// <summary>Events the gateway refused for good in this run, by the reason code it gave.</summary>
    public Dictionary<string, int> RefusedByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Queues one row's event; returns false when it was already sent (a re-poll or re-import).</summary>
    public async Task<bool> AddAsync(PmsEvent e, CancellationToken cancellationToken)
    {
        if (_pendingIds.Contains(e.MessageId) || state.IsRecorded(connector, e.MessageId))
        {
            state.CountRows(connector, 1, 0, 1);
            return false;
        }

        state.CountRows(connector, 1, 0, 0);
        _pending.Add(e);
        _pendingIds.Add(e.MessageId);
        if (_pending.Count >= sender.BatchSize)
        {
            await FlushAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>A row that failed a local check: read and refused, nothing sent.</summary>
    public void Refuse() => state.CountRows(connector, 1, 1, 0);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var outcome = await sender.SendAsync(_pending, cancellationToken);
        var refused = outcome.Refused.Select(r => r.Index).ToHashSet();
        foreach (var (_, reason) in outcome.Refused)
        {
            RefusedByReason[reason] = RefusedByReason.GetValueOrDefault(reason) + 1;
        }

        state.RecordBatch(
            connector,
            [.. _pending.Where((_, i) => !refused.Contains(i)).Select(e => e.MessageId)],
            [.. _pending.Where((_, i) => refused.Contains(i)).Select(e => e.MessageId)]);
        _pending.Clear();
        _pendingIds.Clear();
    }
}
