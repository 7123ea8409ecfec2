using Microsoft.Data.Sqlite;

namespace Scoring.Service.Storage.Sqlite;

/// <summary>
/// The schema as numbered migrations, applied in order at start inside one transaction each and recorded in
/// <c>schema_migrations</c>. Never edit a shipped migration; add the next one. All times are Unix milliseconds.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "events, identities, leads, transitions", """
            CREATE TABLE events (
                seq            INTEGER PRIMARY KEY AUTOINCREMENT,
                practice       TEXT    NOT NULL,
                message_id     TEXT    NOT NULL,
                subject        TEXT    NULL,
                type           TEXT    NOT NULL,
                name           TEXT    NULL,
                occurred_at    INTEGER NOT NULL,
                received_at    INTEGER NOT NULL,
                vertical       TEXT    NOT NULL,
                policy_version TEXT    NULL,
                fields         TEXT    NOT NULL,
                CONSTRAINT ux_events_message UNIQUE (practice, message_id)
            );
            CREATE INDEX ix_events_subject ON events (practice, subject, occurred_at);

            CREATE TABLE identities (
                practice TEXT NOT NULL,
                id       TEXT NOT NULL,
                subject  TEXT NOT NULL,
                PRIMARY KEY (practice, id)
            );
            CREATE INDEX ix_identities_subject ON identities (practice, subject);

            CREATE TABLE leads (
                practice          TEXT    NOT NULL,
                subject           TEXT    NOT NULL,
                vertical          TEXT    NOT NULL,
                identified        INTEGER NOT NULL,
                stage             TEXT    NOT NULL,
                stage_since       INTEGER NOT NULL,
                created_at        INTEGER NOT NULL,
                last_event_at     INTEGER NULL,
                campaign          TEXT    NULL,
                source            TEXT    NULL,
                medium            TEXT    NULL,
                queue             TEXT    NULL,
                assigned_at       INTEGER NULL,
                due_at            INTEGER NULL,
                service_line      TEXT    NULL,
                location          TEXT    NULL,
                evaluated_through INTEGER NULL,
                config_sha256     TEXT    NULL,
                next_check_at     INTEGER NULL,
                version           INTEGER NOT NULL,
                PRIMARY KEY (practice, subject)
            );
            CREATE INDEX ix_leads_next_check ON leads (next_check_at) WHERE next_check_at IS NOT NULL;
            CREATE INDEX ix_leads_stage ON leads (vertical, stage, stage_since);
            CREATE INDEX ix_leads_created ON leads (vertical, created_at);
            CREATE INDEX ix_leads_due ON leads (due_at) WHERE stage = 'mql';

            CREATE TABLE transitions (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                practice   TEXT    NOT NULL,
                subject    TEXT    NOT NULL,
                at         INTEGER NOT NULL,
                from_stage TEXT    NULL,
                to_stage   TEXT    NOT NULL,
                reason     TEXT    NOT NULL,
                actor      TEXT    NOT NULL,
                client     TEXT    NULL,
                criteria   TEXT    NOT NULL
            );
            CREATE INDEX ix_transitions_lead ON transitions (practice, subject, at, id);
            """),
        (2, "hand-offs on transitions, lead location, service line and type, hand-off outbox", """
            ALTER TABLE transitions ADD COLUMN queue TEXT NULL;
            ALTER TABLE transitions ADD COLUMN due_at INTEGER NULL;
            ALTER TABLE transitions ADD COLUMN service_line TEXT NULL;
            ALTER TABLE transitions ADD COLUMN location TEXT NULL;
            ALTER TABLE transitions ADD COLUMN sla TEXT NULL;
            ALTER TABLE leads ADD COLUMN sla TEXT NULL;
            ALTER TABLE leads ADD COLUMN lead_location TEXT NULL;
            ALTER TABLE leads ADD COLUMN lead_service_line TEXT NULL;
            ALTER TABLE leads ADD COLUMN lead_type TEXT NULL;
            CREATE INDEX ix_leads_location ON leads (practice, lead_location);

            CREATE TABLE handoff_outbox (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                destination     TEXT    NOT NULL,
                idempotency_key TEXT    NOT NULL,
                practice        TEXT    NOT NULL,
                kind            TEXT    NOT NULL,
                payload         TEXT    NOT NULL,
                created_at      INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                attempts        INTEGER NOT NULL,
                locked_until    INTEGER NULL,
                delivered_at    INTEGER NULL,
                failed_at       INTEGER NULL,
                last_status     TEXT    NULL,
                CONSTRAINT ux_handoff_key UNIQUE (destination, idempotency_key)
            );
            CREATE INDEX ix_handoff_due ON handoff_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
            """),
    ];

    public static async Task ApplyAsync(SqliteConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (version, name, sql) in All)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v;";
            check.Parameters.AddWithValue("$v", version);
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                continue;
            }

            await using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = sql;
            await migrate.ExecuteNonQueryAsync(cancellationToken);

            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t);";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$n", name);
            record.Parameters.AddWithValue("$t", now.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
