using Gateway.Storage.Quarantine;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Storage.Postgres;

/// <summary>The quarantine on PostgreSQL, shared by every gateway instance. Events are stored encrypted; entries past their retention are purged.</summary>
public sealed class PostgresQuarantineStore(PostgresDatabase database) : PostgresStore(database, "quarantine", s_migrations), IQuarantineStore
{
    private const string Columns = "id, practice_id, vertical, message_id, endpoint_type, reason, violations, protected_event, quarantined_at, expires_at, replayed_at, replay_outcome";

    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE quarantine (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            practice_id text NOT NULL,
            vertical text NOT NULL,
            message_id text NOT NULL,
            endpoint_type text NULL,
            reason text NOT NULL,
            violations text NOT NULL,
            protected_event text NOT NULL,
            quarantined_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            replayed_at bigint NULL,
            replay_outcome text NULL,
            CONSTRAINT ux_quarantine_message UNIQUE (practice_id, message_id)
        );
        CREATE INDEX ix_quarantine_expiry ON quarantine (expires_at);
        """,
    ];

    public async Task<long> AddAsync(QuarantineEntry entry, CancellationToken cancellationToken = default)
    {
        // Two attempts: when another instance inserts the same message concurrently, this statement's snapshot
        // may see neither its own insert (skipped on conflict) nor the other's row; the retry sees it.
        for (var attempt = 0; ; attempt++)
        {
            var id = await ScalarAsync("""
                WITH inserted AS (
                    INSERT INTO quarantine (practice_id, vertical, message_id, endpoint_type, reason, violations, protected_event, quarantined_at, expires_at)
                    VALUES (@practice, @vertical, @message, @endpoint, @reason, @violations, @payload, @at, @expires)
                    ON CONFLICT (practice_id, message_id) DO NOTHING
                    RETURNING id
                )
                SELECT id FROM inserted
                UNION ALL
                SELECT id FROM quarantine WHERE practice_id = @practice AND message_id = @message
                LIMIT 1;
                """, c =>
            {
                c.Parameters.AddWithValue("practice", entry.PracticeId);
                c.Parameters.AddWithValue("vertical", entry.Vertical);
                c.Parameters.AddWithValue("message", entry.MessageId);
                c.Parameters.AddWithValue("endpoint", NpgsqlDbType.Text, OrNull(entry.EndpointType));
                c.Parameters.AddWithValue("reason", entry.Reason);
                c.Parameters.AddWithValue("violations", entry.Violations);
                c.Parameters.AddWithValue("payload", entry.ProtectedEvent);
                c.Parameters.AddWithValue("at", Ms(entry.QuarantinedAt));
                c.Parameters.AddWithValue("expires", Ms(entry.ExpiresAt));
            }, cancellationToken);
            if (id is long found)
            {
                return found;
            }

            if (attempt > 0)
            {
                throw new StoreUnavailableException("quarantine", new InvalidOperationException("The quarantined entry was neither inserted nor found."));
            }
        }
    }

    public Task<IReadOnlyList<QuarantineEntry>> ListAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM quarantine WHERE practice_id = @practice ORDER BY id;", c => c.Parameters.AddWithValue("practice", practiceId), Read, cancellationToken);

    public async Task<QuarantineEntry?> GetAsync(string practiceId, long id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {Columns} FROM quarantine WHERE practice_id = @practice AND id = @id;", c =>
        {
            c.Parameters.AddWithValue("practice", practiceId);
            c.Parameters.AddWithValue("id", id);
        }, Read, cancellationToken)).SingleOrDefault();

    public Task MarkReplayedAsync(long id, DateTimeOffset at, string outcome, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE quarantine SET replayed_at = @at, replay_outcome = @outcome WHERE id = @id;", c =>
        {
            c.Parameters.AddWithValue("at", Ms(at));
            c.Parameters.AddWithValue("outcome", outcome);
            c.Parameters.AddWithValue("id", id);
        }, cancellationToken);

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM quarantine WHERE expires_at <= @now;", c => c.Parameters.AddWithValue("now", Ms(now)), cancellationToken);

    private static QuarantineEntry Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PracticeId = reader.GetString(1),
        Vertical = reader.GetString(2),
        MessageId = reader.GetString(3),
        EndpointType = Text(reader, 4),
        Reason = reader.GetString(5),
        Violations = reader.GetString(6),
        ProtectedEvent = reader.GetString(7),
        QuarantinedAt = At(reader, 8),
        ExpiresAt = At(reader, 9),
        ReplayedAt = Time(reader, 10),
        ReplayOutcome = Text(reader, 11),
    };
}
