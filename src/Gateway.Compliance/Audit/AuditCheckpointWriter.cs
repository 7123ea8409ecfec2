namespace Gateway.Compliance.Audit;

/// <summary>
/// Signs the audit chain's head and stores it, as <see cref="CheckpointPolicy"/> says: hook
/// <see cref="OnDurable"/> into <see cref="AuditFileOptions.OnDurable"/>. The audit writer thread only
/// records the new head; signing and storing run on this writer's own loop, so a slow store never delays
/// audit writes. Disposing it writes a last checkpoint of the final head (dispose it after the audit log).
/// A failing store never stops the audit log; it is reported through <c>onError</c> and <see cref="IsHealthy"/>.
/// </summary>
public sealed class AuditCheckpointWriter : IDisposable, IAsyncDisposable
{
    private readonly IAuditCheckpointStore _store;
    private readonly AuditCheckpointSigner _signer;
    private readonly string _instance;
    private readonly CheckpointPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Action<Exception>? _onError;
    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private AuditChainState _head;
    private AuditCheckpoint? _latest;
    private DateTimeOffset _latestTime;
    private Task _loop = Task.CompletedTask;
    private int _disposed;
    private volatile bool _healthy = true;

    private AuditCheckpointWriter(IAuditCheckpointStore store, AuditCheckpointSigner signer, string instance, CheckpointPolicy policy, TimeProvider time, Action<Exception>? onError)
    {
        _store = store;
        _signer = signer;
        _instance = instance;
        _policy = policy;
        _time = time;
        _onError = onError;
    }

    /// <summary>The last checkpoint stored (or found in the store at start).</summary>
    public AuditCheckpoint? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>False after a checkpoint could not be stored, until one is stored again.</summary>
    public bool IsHealthy
    {
        get => _healthy;
        private set => _healthy = value;
    }

    /// <summary>
    /// Reads the instance's latest checkpoint from the store and starts the loop. <paramref name="onError"/>
    /// hears about failures (store unavailable, a chain shorter than its last checkpoint); it must not throw.
    /// </summary>
    public static async Task<AuditCheckpointWriter> StartAsync(
        IAuditCheckpointStore store,
        AuditCheckpointSigner signer,
        string instance,
        CheckpointPolicy? policy = null,
        TimeProvider? time = null,
        Action<Exception>? onError = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        policy ??= new CheckpointPolicy();
        if (policy.EveryRecords < 1 || policy.Every <= TimeSpan.Zero)
        {
            throw new ArgumentException("A checkpoint policy needs EveryRecords >= 1 and a positive interval.", nameof(policy));
        }

        var writer = new AuditCheckpointWriter(store, signer, instance, policy, time ?? TimeProvider.System, onError);
        var latest = await store.GetLatestAsync(instance, cancellationToken).ConfigureAwait(false);
        writer._latest = latest;
        writer._latestTime = latest?.Time ?? writer._time.GetUtcNow();
        writer._head = latest is null ? AuditChainState.Genesis : new AuditChainState(latest.Count, latest.HeadHash);
        writer._loop = Task.Run(writer.RunAsync, CancellationToken.None);
        return writer;
    }

    /// <summary>Called by the audit log after every durable group with the new head. Cheap; never throws.</summary>
    public void OnDurable(AuditChainState head)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            // The final checkpoint is written; a late group (the log disposed after this writer) waits for the next start.
            return;
        }

        bool due;
        lock (_lock)
        {
            if (_latest is { } latest && head.Count < latest.Count && _head.Count >= latest.Count)
            {
                Report(new InvalidOperationException(
                    $"The audit chain holds {head.Count} records but its last signed checkpoint covers {latest.Count}: records were removed. Run 'gatewayctl audit verify'."));
            }

            _head = head;
            due = _policy.IsDue(head.Count - (_latest?.Count ?? 0), _time.GetUtcNow() - _latestTime);
        }

        if (due && _due.CurrentCount == 0)
        {
            try
            {
                _due.Release();
            }
            catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
            {
                // Already signalled, or disposed meanwhile: either way nothing more to do here.
            }
        }
    }

    /// <summary>Signs and stores the current head now if the chain grew since the last checkpoint.</summary>
    public async Task<AuditCheckpoint?> CheckpointNowAsync(CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            AuditChainState head;
            lock (_lock)
            {
                head = _head;
                if (head.Count == 0 || (_latest is { } latest && latest.Count == head.Count && latest.HeadHash == head.HeadHash))
                {
                    return null;
                }
            }

            var checkpoint = _signer.Sign(_instance, head, _time.GetUtcNow());
            await _store.AppendAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _latest = checkpoint;
                _latestTime = checkpoint.Time;
            }

            IsHealthy = true;
            return checkpoint;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Stops the loop and stores a last checkpoint of the final head.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        try
        {
            await CheckpointNowAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Report(ex);
        }

        _stopping.Dispose();
        _due.Dispose();
        _writing.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        Task? signalled = null;
        while (!token.IsCancellationRequested)
        {
            try
            {
                signalled ??= _due.WaitAsync(token);
                using (var tick = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    await Task.WhenAny(signalled, Task.Delay(_policy.Every, _time, tick.Token)).ConfigureAwait(false);
                    await tick.CancelAsync().ConfigureAwait(false);
                }

                if (signalled.IsCompleted)
                {
                    signalled = null;
                }

                bool due;
                lock (_lock)
                {
                    due = _policy.IsDue(_head.Count - (_latest?.Count ?? 0), _time.GetUtcNow() - _latestTime);
                }

                if (due && !token.IsCancellationRequested)
                {
                    await CheckpointNowAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store failed (disk, database): keep the audit log running and try again later.
                Report(ex);
            }
        }
    }

    private void Report(Exception ex)
    {
        IsHealthy = false;
        _onError?.Invoke(ex);
    }
}
