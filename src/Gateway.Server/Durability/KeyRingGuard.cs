using Gateway.Server.Health;
using Gateway.Storage.Postgres;

namespace Gateway.Server.Durability;

/// <summary>
/// Watches the Data Protection key store: is there at least one key in it? If the key ring is emptied or
/// removed while the gateway runs, Data Protection would quietly make a new key and everything protected
/// before would become unreadable; instead the gateway stops protecting anything (quarantine, tokens), fails
/// those requests closed, and reports not ready until the key ring is restored. Works for the key folder and
/// for the shared PostgreSQL key table (checked at most once per second there, and unreachable counts as missing).
/// </summary>
internal sealed class KeyRingGuard : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    private readonly Func<bool> _probe;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly Lock _lock = new();
    private (bool Available, DateTimeOffset CheckedAt)? _last;

    private KeyRingGuard(Func<bool> probe, TimeProvider time, TimeSpan cacheFor, string location)
    {
        _probe = probe;
        _time = time;
        _cacheFor = cacheFor;
        Location = location;
    }


    /// <summary>Where the key ring is kept (a folder, or a table), for messages.</summary>
    public string Location { get; }

    public bool IsAvailable
    {
        get
        {
            if (_cacheFor <= TimeSpan.Zero)
            {
                return _probe();
            }

            var now = _time.GetUtcNow();
            lock (_lock)
            {
                if (_last is { } last && now - last.CheckedAt < _cacheFor)
                {
                    return last.Available;
                }
            }

            var available = _probe();
            lock (_lock)
            {
                _last = (available, now);
            }

            return available;
        }
    }

    /// <summary>The key folder of <c>PersistKeysToFileSystem</c>: available while it holds a <c>key-*.xml</c>.</summary>
    public static KeyRingGuard ForDirectory(string keysDirectory) =>
        new(() => Directory.Exists(keysDirectory) && Directory.EnumerateFiles(keysDirectory, "key-*.xml").Any(), TimeProvider.System, TimeSpan.Zero, keysDirectory);

    /// <summary>The shared key table: available while it holds a key and the database answers.</summary>
    public static KeyRingGuard ForStore(PostgresKeyStore store, TimeProvider time) =>
        new(() =>
        {
            try
            {
                return store.HasKeysAsync().GetAwaiter().GetResult();
            }
            catch (Gateway.Storage.StoreUnavailableException)
            {
                return false;
            }
        }, time, TimeSpan.FromSeconds(1), "data_protection_keys");

    /// <summary>Throws <see cref="KeyRingUnavailableException"/> when the key ring is gone.</summary>
    public void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new KeyRingUnavailableException();
        }
    }

    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Health.Readiness.Result(IsAvailable, IsAvailable ? null : "the Data Protection key ring is missing");
}

/// <summary>The Data Protection key ring is missing: nothing that needs it may proceed.</summary>
internal sealed class KeyRingUnavailableException : Exception
{
    public KeyRingUnavailableException()
        : base("The Data Protection key ring is missing.")
    {
    }
}
