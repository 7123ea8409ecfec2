using Gateway.Server.Configuration;
using Gateway.Storage;
using Gateway.Storage.Deduplication;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Disclosure;

/// <summary>
/// At start, gives back the claims this instance held when it last stopped without finishing (killed mid-request), so
/// the SDK's retries of those events are processed at once (on PostgreSQL; on SQLite claims never outlive the process);
/// then forgets message ids older than the window, hourly.
/// </summary>
internal sealed class MessageIdPurgeService(IMessageIdLedger ledger, TimeProvider time, IOptions<GatewayOptions> options, ILogger<MessageIdPurgeService> logger) : BackgroundService
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var released = await ledger.ReleaseAbandonedAsync(options.Value.InstanceId, _started, cancellationToken);
            if (released > 0)
            {
                logger.LogWarning("Gave back {Count} message ids this instance was processing when it last stopped", released);
            }
        }
        catch (StoreUnavailableException)
        {
            logger.LogWarning("The deduplication store is unavailable; claims left by an earlier run lapse after their lease");
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Deduplication;
        var keep = TimeSpan.FromHours(settings.WindowHours) + TimeSpan.FromSeconds(settings.ClaimLeaseSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var purged = await ledger.PurgeAsync(time.GetUtcNow() - keep, stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Forgot {Count} message ids older than the deduplication window", purged);
                }
            }
            catch (StoreUnavailableException)
            {
                logger.LogWarning("The deduplication store is unavailable; purge skipped");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
