using Gateway.Storage.Quarantine;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The quarantine on SQLite. Events are stored encrypted; entries past their retention are purged.</summary>
public sealed class SqliteQuarantineStore(SqliteDatabase database) : SqliteStore(database, "quarantine", s_migrations), IQuarantineStore
{
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

    public async Task<long> AddAsync(QuarantineEntry entry, CancellationToken cancellationToken = default) =>
        (long)(await ScalarAsync("""
            INSERT OR IGNORE INTO quarantine (practice_id, vertical, message_id, endpoint_type, reason, violations, protected_event, quarantined_at, expires_at)
            VALUES ($practice, $vertical, $message, $endpoint, $reason, $violations, $payload, $at, $expires);
            SELECT id FROM quarantine WHERE practice_id = $practice AND message_id = $message;
            """, c =>
        {
            c.Parameters.AddWithValue("$practice", entry.PracticeId);
            c.Parameters.AddWithValue("$vertical", entry.Vertical);
            c.Parameters.AddWithValue("$message", entry.MessageId);
            c.Parameters.AddWithValue("$endpoint", OrNull(entry.EndpointType));
            c.Parameters.AddWithValue("$reason", entry.Reason);
            c.Parameters.AddWithValue("$violations", entry.Violations);
            c.Parameters.AddWithValue("$payload", entry.ProtectedEvent);
            c.Parameters.AddWithValue("$at", entry.QuarantinedAt.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$expires", entry.ExpiresAt.ToUnixTimeMilliseconds());
        }, cancellationToken))!;

    public Task<IReadOnlyList<QuarantineEntry>> ListAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM quarantine WHERE practice_id = $practice ORDER BY id;", c => c.Parameters.AddWithValue("$practice", practiceId), Read, cancellationToken);

    public async Task<QuarantineEntry?> GetAsync(string practiceId, long id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {Columns} FROM quarantine WHERE practice_id = $practice AND id = $id;", c =>
        {
            c.Parameters.AddWithValue("$practice", practiceId);
            c.Parameters.AddWithValue("$id", id);
        }, Read, cancellationToken)).SingleOrDefault();

    public Task MarkReplayedAsync(long id, DateTimeOffset at, string outcome, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE quarantine SET replayed_at = $at, replay_outcome = $outcome WHERE id = $id;", c =>
        {
            c.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$outcome", outcome);
            c.Parameters.AddWithValue("$id", id);
        }, cancellationToken);

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM quarantine WHERE expires_at <= $now;", c => c.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds()), cancellationToken);

    private static QuarantineEntry Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PracticeId = reader.GetString(1),
        Vertical = reader.GetString(2),
        MessageId = reader.GetString(3),
        EndpointType = Text(reader, 4),
        Reason = reader.GetString(5),
        Violations = reader.GetString(6),
        ProtectedEvent = reader.GetString(7),
        QuarantinedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        ReplayedAt = Time(reader, 10),
        ReplayOutcome = Text(reader, 11),
    };
}
