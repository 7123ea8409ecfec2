namespace Pms.Connectors.State;

/// <summary>
/// A connector's progress, for the admin API, metrics and <c>gatewayctl pms status</c>: its cursors (Open Dental
/// DateTStamp values per resource), rows read, sent, refused (a row check failed or the gateway refused the event) and
/// skipped as already sent. Counts and timestamps only: never a record's value.
/// </summary>
public sealed record ConnectorStatus(
    string Connector,
    IReadOnlyDictionary<string, string> Cursors,
    long RowsRead,
    long RowsSent,
    long RowsRefused,
    long RowsAlreadySent,
    DateTimeOffset? LastRunStartedAt,
    DateTimeOffset? LastRunFinishedAt,
    string? LastOutcome);
