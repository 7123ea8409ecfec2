using System.Diagnostics.Metrics;
using Gateway.Server.Hosting;
using Pms.Connectors.State;

namespace Gateway.Server.Admin;

/// <summary>
/// The practice-management connectors' status (docs/pms.md) for the admin API and <c>/metrics</c>: read from the
/// connectors' state file named by <c>Gateway:Pms:StatePath</c> (a relative path is relative to the working directory),
/// which the connectors write as their own process. Counts, cursors (Open Dental timestamps) and outcomes only.
/// Without the setting, there is no status and no gauge values.
/// </summary>
internal sealed class PmsConnectorStatusReader
{
    public const string SettingName = "Gateway:Pms:StatePath";

    private readonly string? _path;
    private readonly TimeProvider _time;

    public PmsConnectorStatusReader(IConfiguration configuration, IMeterFactory meters, TimeProvider time)
    {
        _path = configuration[SettingName] is { Length: > 0 } path ? Path.GetFullPath(path, Service.Defaults.ServiceHost.WorkingDirectory) : null;
        _time = time;
        meters.Create(GatewayMetrics.MeterName).CreateObservableGauge("gateway.pms.rows", Measure, "{row}",
            "Rows each practice-management connector read, sent, refused and skipped as already sent (from its state file).");
    }

    public bool Configured => _path is not null;

    /// <summary>Every connector's status; empty while no connector has written the state file.</summary>
    public IReadOnlyList<ConnectorStatus> Read()
    {
        if (_path is null || !File.Exists(_path))
        {
            return [];
        }

        using var store = ConnectorStateStore.Open(_path, _time);
        return store.All();
    }

    private IEnumerable<Measurement<long>> Measure()
    {
        IReadOnlyList<ConnectorStatus> all;
        try
        {
            all = Read();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            yield break;   // a state file being created or locked: no values this scrape
        }

        foreach (var status in all)
        {
            var connector = new KeyValuePair<string, object?>("connector", status.Connector);
            yield return new(status.RowsRead, connector, new("outcome", "read"));
            yield return new(status.RowsSent, connector, new("outcome", "sent"));
            yield return new(status.RowsRefused, connector, new("outcome", "refused"));
            yield return new(status.RowsAlreadySent, connector, new("outcome", "already_sent"));
        }
    }
}
