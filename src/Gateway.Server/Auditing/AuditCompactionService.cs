using Gateway.Compliance.Audit;
using Gateway.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Auditing;

/// <summary>
/// Compresses this instance's sealed audit files (every file but the one being written; Zstandard) soon after start and then
/// every ten minutes, so six years of records cost a fifteenth of the disk (docs/audit-format.md). Other instances sharing the
/// folder compress their own. A file that cannot be compressed stays as it is and is tried again next round.
/// </summary>
internal sealed partial class AuditCompactionService(
    IAuditLog audit,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<AuditCompactionService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Audit.CompressSealedFiles || audit is not FileAuditLog file)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Run(() => CompressOnce(file.Options), stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void CompressOnce(AuditFileOptions audit)
    {
        try
        {
            foreach (var compressed in AuditSegmentCompression.CompressSealed(audit.Directory, audit.InstanceId))
            {
                Log.Compressed(logger, Path.GetFileName(compressed), new FileInfo(compressed).Length);
            }
        }
        catch (AggregateException ex)
        {
            // Some files stayed plain (each tried again next round); the others were compressed.
            foreach (var inner in ex.InnerExceptions)
            {
                Log.CompressionFailed(logger, inner.GetType().Name);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.CompressionFailed(logger, ex.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Sealed audit file compressed to {File} ({Bytes} bytes)")]
        public static partial void Compressed(ILogger logger, string file, long bytes);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "A sealed audit file could not be compressed ({Error}); it stays as it is and is tried again")]
        public static partial void CompressionFailed(ILogger logger, string error);
    }
}
