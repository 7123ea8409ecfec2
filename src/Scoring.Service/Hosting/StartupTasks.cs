using Scoring.Service.Storage;

namespace Scoring.Service.Hosting;

/// <summary>
/// At start: loads every vertical's scoring configuration and practices (any error stops the service), reads the
/// hand-off destinations' secrets, and migrates the store. Runs after options validation, so a missing token, key
/// or secret file fails first.
/// </summary>
internal sealed partial class StartupTasks : IHostedService
{
    private readonly ScoringCatalog _catalog;
    private readonly ILeadStore _store;
    private readonly ILogger<StartupTasks> _logger;

    private readonly Handoffs.HandoffDestinations _destinations;

    public StartupTasks(ScoringCatalog catalog, ILeadStore store, Handoffs.HandoffDestinations destinations, ILogger<StartupTasks> logger)
    {
        _catalog = catalog;
        _store = store;
        _destinations = destinations;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken);
        Log.Ready(_logger, string.Join(", ", _catalog.Verticals), _catalog.Practices.Count(), _destinations.All.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Scoring verticals {Verticals} ({Practices} practices with their own settings, {Destinations} hand-off destinations); store ready")]
        public static partial void Ready(ILogger logger, string verticals, int practices, int destinations);
    }
}
