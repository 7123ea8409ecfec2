using Gateway.Storage.Quarantine;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The quarantine on SQLite. Events are stored encrypted; entries past their retention are purged.</summary>
public sealed class SqliteQuarantineStore : IQuarantineStore
{
    private const string Store = "quarantine";
    private const string Columns = "id, practice_id, vertical, message_id, endpoint_type, reason, violations, protected_event, quarantined_at, expires_at, replayed_at, replay_outcome";

    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            practice_id TEXT NOT NULL,
            vertical TEXT NOT NULL,
            message_id TEXT NOT NULL,
            endpoint_type TEXT NULL,
            reason TEXT NOT NULL,
            violations TEXT NOT NULL,
            protected_event TEXT NOT NULL,
            quarantined_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            replayed_at INTEGER NULL,
            replay_outcome TEXT NULL,
            UNIQUE (practice_id, message_id)
        );
        CREATE INDEX ix_quarantine_expiry ON quarantine (expires_at);
        """,
    ];

    private readonly SqliteDatabase _database;

    public SqliteQuarantineStore(SqliteDatabase database)
    {
        _database = database;
        SqliteMigrator.Migrate(database, "quarantine", s_migrations);
    }

    public async Task<long> AddAsync(QuarantineEntry entry, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT OR IGNORE INTO quarantine (practice_id, vertical, message_id, endpoint_type, reason, violations, protected_event, quarantined_at, expires_at)
                VALUES ($practice, $vertical, $message, $endpoint, $reason, $violations, $payload, $at, $expires);
                SELECT id FROM quarantine WHERE practice_id = $practice AND message_id = $message;
                """;
            insert.Parameters.AddWithValue("$practice", entry.PracticeId);
            insert.Parameters.AddWithValue("$vertical", entry.Vertical);
            insert.Parameters.AddWithValue("$message", entry.MessageId);
            insert.Parameters.AddWithValue("$endpoint", (object?)entry.EndpointType ?? DBNull.Value);
            insert.Parameters.AddWithValue("$reason", entry.Reason);
            insert.Parameters.AddWithValue("$violations", entry.Violations);
            insert.Parameters.AddWithValue("$payload", entry.ProtectedEvent);
            insert.Parameters.AddWithValue("$at", entry.QuarantinedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$expires", entry.ExpiresAt.ToUnixTimeMilliseconds());
            return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Store, ex);
        }
    }

    public Task<IReadOnlyList<QuarantineEntry>> ListAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM quarantine WHERE practice_id = $practice ORDER BY id;", c => c.Parameters.AddWithValue("$practice", practiceId), cancellationToken);

    public async Task<QuarantineEntry?> GetAsync(string practiceId, long id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {Columns} FROM quarantine WHERE practice_id = $practice AND id = $id;", c =>
        {
            c.Parameters.AddWithValue("$practice", practiceId);
            c.Parameters.AddWithValue("$id", id);
        }, cancellationToken)).SingleOrDefault();

    public async Task MarkReplayedAsync(long id, DateTimeOffset at, string outcome, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE quarantine SET replayed_at = $at, replay_outcome = $outcome WHERE id = $id;";
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$outcome", outcome);
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Store, ex);
        }
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM quarantine WHERE expires_at <= $now;";
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Store, ex);
        }
    }

    private async Task<IReadOnlyList<QuarantineEntry>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            var result = new List<QuarantineEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new QuarantineEntry
                {
                    Id = reader.GetInt64(0),
                    PracticeId = reader.GetString(1),
                    Vertical = reader.GetString(2),
                    MessageId = reader.GetString(3),
                    EndpointType = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Reason = reader.GetString(5),
                    Violations = reader.GetString(6),
                    ProtectedEvent = reader.GetString(7),
                    QuarantinedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                    ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                    ReplayedAt = reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
                    ReplayOutcome = reader.IsDBNull(11) ? null : reader.GetString(11),
                });
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Store, ex);
        }
    }
}
