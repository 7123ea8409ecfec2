using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pms.Connectors.State;

/// <summary>
/// The connectors' durable state in one SQLite file: cursors, counters and the ledger of message ids the gateway
/// accepted. A batch's ledger entries and counters are written in one transaction after the gateway answered, and a
/// cursor moves only after every event before it was recorded, so a crash at any point resends at most the batch in
/// flight (its message ids make the resend a duplicate downstream) and never skips a record. Holds no PHI: message ids
/// are hashes, cursors are the PMS's modification timestamps.
/// </summary>
public sealed class ConnectorStateStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    private ConnectorStateStore(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    public static ConnectorStateStore Open(string path, TimeProvider time)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS connectors (
                name TEXT PRIMARY KEY, rows_read INTEGER NOT NULL DEFAULT 0, rows_sent INTEGER NOT NULL DEFAULT 0,
                rows_refused INTEGER NOT NULL DEFAULT 0, rows_already_sent INTEGER NOT NULL DEFAULT 0,
                run_started TEXT, run_finished TEXT, outcome TEXT);
            CREATE TABLE IF NOT EXISTS cursors (connector TEXT NOT NULL, resource TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (connector, resource));
            CREATE TABLE IF NOT EXISTS ledger (connector TEXT NOT NULL, message_id TEXT NOT NULL, outcome TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (connector, message_id));
            """);
        return new ConnectorStateStore(connection, time);
    }

    /// <summary>Whether the gateway already took (or refused for good) this message id.</summary>
    public bool IsRecorded(string connector, string messageId)
    {
        using var command = Command("SELECT 1 FROM ledger WHERE connector = $c AND message_id = $m;", ("$c", connector), ("$m", messageId));
        return command.ExecuteScalar() is not null;
    }

    public string? Cursor(string connector, string resource)
    {
        using var command = Command("SELECT value FROM cursors WHERE connector = $c AND resource = $r;", ("$c", connector), ("$r", resource));
        return command.ExecuteScalar() as string;
    }

    public void SetCursor(string connector, string resource, string value)
    {
        Ensure(connector);
        using var command = Command("INSERT INTO cursors (connector, resource, value) VALUES ($c, $r, $v) ON CONFLICT (connector, resource) DO UPDATE SET value = excluded.value;",
            ("$c", connector), ("$r", resource), ("$v", value));
        command.ExecuteNonQuery();
    }

    /// <summary>Records a batch's outcome: accepted and refused message ids in the ledger, counters, in one transaction.</summary>
    public void RecordBatch(string connector, IReadOnlyList<string> sent, IReadOnlyList<string> refused)
    {
        Ensure(connector);
        using var transaction = _connection.BeginTransaction();
        var at = Now();
        foreach (var (ids, outcome) in new[] { (sent, "sent"), (refused, "refused") })
        {
            foreach (var id in ids)
            {
                using var insert = Command("INSERT OR IGNORE INTO ledger (connector, message_id, outcome, at) VALUES ($c, $m, $o, $t);",
                    ("$c", connector), ("$m", id), ("$o", outcome), ("$t", at));
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
            }
        }

        using var counters = Command("UPDATE connectors SET rows_sent = rows_sent + $s, rows_refused = rows_refused + $r WHERE name = $c;",
            ("$c", connector), ("$s", sent.Count), ("$r", refused.Count));
        counters.Transaction = transaction;
        counters.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Counts rows read, rows refused by a local check, and rows skipped as already recorded.</summary>
    public void CountRows(string connector, int read, int refused, int alreadySent)
    {
        Ensure(connector);
        using var command = Command("UPDATE connectors SET rows_read = rows_read + $n, rows_refused = rows_refused + $r, rows_already_sent = rows_already_sent + $a WHERE name = $c;",
            ("$c", connector), ("$n", read), ("$r", refused), ("$a", alreadySent));
        command.ExecuteNonQuery();
    }

    public void RunStarted(string connector)
    {
        Ensure(connector);
        using var command = Command("UPDATE connectors SET run_started = $t, run_finished = NULL, outcome = 'running' WHERE name = $c;", ("$c", connector), ("$t", Now()));
        command.ExecuteNonQuery();
    }

    /// <param name="outcome">A code or a message without values (<c>completed</c>, <c>failed: the gateway answered 503 ...</c>).</param>
    public void RunFinished(string connector, string outcome)
    {
        Ensure(connector);
        using var command = Command("UPDATE connectors SET run_finished = $t, outcome = $o WHERE name = $c;", ("$c", connector), ("$t", Now()), ("$o", outcome));
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<ConnectorStatus> All()
    {
        var cursors = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using (var command = Command("SELECT connector, resource, value FROM cursors ORDER BY connector, resource;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var map = cursors.TryGetValue(reader.GetString(0), out var m) ? m : cursors[reader.GetString(0)] = new(StringComparer.Ordinal);
                map[reader.GetString(1)] = reader.GetString(2);
            }
        }

        var result = new List<ConnectorStatus>();
        using (var command = Command("SELECT name, rows_read, rows_sent, rows_refused, rows_already_sent, run_started, run_finished, outcome FROM connectors ORDER BY name;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var name = reader.GetString(0);
                result.Add(new ConnectorStatus(
                    name,
                    cursors.TryGetValue(name, out var c) ? c : new Dictionary<string, string>(),
                    reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                    Time(reader, 5), Time(reader, 6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }

        return result;
    }

    public ConnectorStatus? Get(string connector) => All().FirstOrDefault(s => s.Connector == connector);

    public void Dispose() => _connection.Dispose();

    private void Ensure(string connector)
    {
        using var command = Command("INSERT OR IGNORE INTO connectors (name) VALUES ($c);", ("$c", connector));
        command.ExecuteNonQuery();
    }

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.Parse(reader.GetString(column), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
