using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;

namespace Gateway.Server.Policies;

/// <summary>
/// Watches the policies folder and reloads when a file changes (after a short quiet period). A reload that
/// fails validation, or a policy file that is removed, keeps the last good policies running and says so:
/// a warning in the log, a <c>system</c> audit record, and the readiness details.
/// </summary>
internal sealed partial class PolicyReloadService(PolicyProvider policies, IAuditLog audit, ILogger<PolicyReloadService> logger) : BackgroundService
{
    /// <summary>How long the folder must stay quiet before reloading (editors write files in several steps).</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(policies.RootPath)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        FileSystemEventHandler onChange = (_, _) => changed.Release();
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Deleted += onChange;
        watcher.Renamed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await changed.WaitAsync(stoppingToken);
                while (await changed.WaitAsync(QuietPeriod, stoppingToken))
                {
                    // Keep waiting until the folder is quiet.
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var (reloaded, errors) = policies.Reload();
            if (reloaded)
            {
                var loaded = string.Join(", ", policies.Current.All.Select(p => $"{p.Name}@{p.Version}"));
                Log.Reloaded(logger, loaded);
                audit.Enqueue(GatewayAuditRecords.Write(writer =>
                {
                    writer.WriteString(AuditJson.Kind, AuditKinds.System);
                    writer.WriteString("action", "policies-reloaded");
                    writer.WriteStartArray("policies");
                    foreach (var policy in policies.Current.All)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", policy.Name);
                        writer.WriteString("version", policy.Version);
                        writer.WriteString("sha256", policy.Sha256);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }));
            }
            else
            {
                Log.ReloadRejected(logger, errors.Count, string.Join(Environment.NewLine, errors));
                audit.Enqueue(GatewayAuditRecords.Write(writer =>
                {
                    writer.WriteString(AuditJson.Kind, AuditKinds.System);
                    writer.WriteString("action", "policies-reload-rejected");
                    writer.WriteNumber("errors", errors.Count);
                }));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Policies reloaded: {Policies}")]
        public static partial void Reloaded(ILogger logger, string policies);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Policy reload rejected ({Count} problem(s)); the last good policies stay in use:\n{Problems}")]
        public static partial void ReloadRejected(ILogger logger, int count, string problems);
    }
}
