using System.Collections.Concurrent;
using Gateway.Storage.Outbox;

namespace Gateway.Server.Durability;

/// <summary>
/// What this instance knows waits in the outbox, per practice and destination. While anything waits for a
/// destination, new events for it join the queue instead of overtaking it, so delivery stays in order.
/// Refreshed from the store by the delivery worker; raised at once when this instance enqueues.
/// </summary>
internal sealed class OutboxState
{
    private readonly ConcurrentDictionary<(string Practice, string Destination), long> _pending = new();
    private readonly SemaphoreSlim _signal = new(0);
    private DateTimeOffset? _oldest;

    public bool HasPending(string practice, string destination) => _pending.TryGetValue((practice, destination), out var count) && count > 0;

    public long Total => _pending.Values.Sum();

    public void Enqueued(string practice, string destination, int count)
    {
        _pending.AddOrUpdate((practice, destination), count, (_, c) => c + count);
        _signal.Release();
    }

    /// <summary>How long the oldest waiting event has waited, as of the last refresh (zero when nothing waits).</summary>
    public TimeSpan OldestAge(DateTimeOffset now) => _oldest is { } oldest && Total > 0 && now > oldest ? now - oldest : TimeSpan.Zero;

    public void Refresh(IReadOnlyList<PendingCount> counts)
    {
        _oldest = counts.Count == 0 ? null : counts.Min(c => c.OldestEnqueuedAt);
        foreach (var key in _pending.Keys)
        {
            if (!counts.Any(c => c.PracticeId == key.Practice && c.Destination == key.Destination))
            {
                _pending[key] = 0;
            }
        }

        foreach (var count in counts)
        {
            _pending[(count.PracticeId, count.Destination)] = count.Count;
        }
    }

    /// <summary>Waits until something is enqueued or the timeout passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
