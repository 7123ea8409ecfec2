using Scoring.Service.Storage;

namespace Scoring.Service.Hosting;

/// <summary>
/// At start: loads every vertical's scoring configuration (any error stops the service) and migrates the store.
/// Runs after options validation, so a missing token or key fails first.
/// </summary>
internal sealed partial class StartupTasks : IHostedService
{
    private readonly ScoringCatalog _catalog;
    private readonly ILeadStore _store;
    private readonly ILogger<StartupTasks> _logger;

    public StartupTasks(ScoringCatalog catalog, ILeadStore store, ILogger<StartupTasks> logger)
    {
        _catalog = catalog;
        _store = store;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken);
        Log.Ready(_logger, string.Join(", ", _catalog.Verticals));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Scoring verticals {Verticals}; store ready")]
        public static partial void Ready(ILogger logger, string verticals);
    }
}
