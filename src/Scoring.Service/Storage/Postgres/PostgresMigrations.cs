using Npgsql;

namespace Scoring.Service.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered migrations, the same tables as <see cref="Sqlite.SqliteMigrations"/> with
/// PostgreSQL types (times as Unix milliseconds in <c>bigint</c>, text in the "C" collation). Applied at start in one
/// transaction under an advisory lock, so several instances starting at once migrate once. Never edit a shipped
/// migration; add the next one.
/// </summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "events, identities, leads, transitions", """
            CREATE TABLE events (
                seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                practice       text COLLATE "C"    NOT NULL,
                message_id     text COLLATE "C"    NOT NULL,
                subject        text COLLATE "C"    NULL,
                type           text COLLATE "C"    NOT NULL,
                name           text COLLATE "C"    NULL,
                occurred_at    bigint  NOT NULL,
                received_at    bigint  NOT NULL,
                vertical       text COLLATE "C"    NOT NULL,
                policy_version text COLLATE "C"    NULL,
                fields         text COLLATE "C"    NOT NULL,
                CONSTRAINT ux_events_message UNIQUE (practice, message_id)
            );
            CREATE INDEX ix_events_subject ON events (practice, subject, occurred_at);

            CREATE TABLE identities (
                practice text COLLATE "C" NOT NULL,
                id       text COLLATE "C" NOT NULL,
                subject  text COLLATE "C" NOT NULL,
                PRIMARY KEY (practice, id)
            );
            CREATE INDEX ix_identities_subject ON identities (practice, subject);

            CREATE TABLE leads (
                practice          text COLLATE "C"    NOT NULL,
                subject           text COLLATE "C"    NOT NULL,
                vertical          text COLLATE "C"    NOT NULL,
                identified        bigint  NOT NULL,
                stage             text COLLATE "C"    NOT NULL,
                stage_since       bigint  NOT NULL,
                created_at        bigint  NOT NULL,
                last_event_at     bigint  NULL,
                campaign          text COLLATE "C"    NULL,
                source            text COLLATE "C"    NULL,
                medium            text COLLATE "C"    NULL,
                queue             text COLLATE "C"    NULL,
                assigned_at       bigint  NULL,
                due_at            bigint  NULL,
                service_line      text COLLATE "C"    NULL,
                location          text COLLATE "C"    NULL,
                evaluated_through bigint  NULL,
                config_sha256     text COLLATE "C"    NULL,
                next_check_at     bigint  NULL,
                version           bigint  NOT NULL,
                PRIMARY KEY (practice, subject)
            );
            CREATE INDEX ix_leads_next_check ON leads (next_check_at) WHERE next_check_at IS NOT NULL;
            CREATE INDEX ix_leads_stage ON leads (vertical, stage, stage_since);
            CREATE INDEX ix_leads_created ON leads (vertical, created_at);
            CREATE INDEX ix_leads_due ON leads (due_at) WHERE stage = 'mql';

            CREATE TABLE transitions (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                practice   text COLLATE "C"    NOT NULL,
                subject    text COLLATE "C"    NOT NULL,
                at         bigint  NOT NULL,
                from_stage text COLLATE "C"    NULL,
                to_stage   text COLLATE "C"    NOT NULL,
                reason     text COLLATE "C"    NOT NULL,
                actor      text COLLATE "C"    NOT NULL,
                client     text COLLATE "C"    NULL,
                criteria   text COLLATE "C"    NOT NULL
            );
            CREATE INDEX ix_transitions_lead ON transitions (practice, subject, at, id);
            """),
        (2, "hand-offs on transitions, lead location, service line and type, hand-off outbox", """
            ALTER TABLE transitions ADD COLUMN queue text COLLATE "C" NULL;
            ALTER TABLE transitions ADD COLUMN due_at bigint NULL;
            ALTER TABLE transitions ADD COLUMN service_line text COLLATE "C" NULL;
            ALTER TABLE transitions ADD COLUMN location text COLLATE "C" NULL;
            ALTER TABLE transitions ADD COLUMN sla text COLLATE "C" NULL;
            ALTER TABLE leads ADD COLUMN sla text COLLATE "C" NULL;
            ALTER TABLE leads ADD COLUMN lead_location text COLLATE "C" NULL;
            ALTER TABLE leads ADD COLUMN lead_service_line text COLLATE "C" NULL;
            ALTER TABLE leads ADD COLUMN lead_type text COLLATE "C" NULL;
            CREATE INDEX ix_leads_location ON leads (practice, lead_location);

            CREATE TABLE handoff_outbox (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                destination     text COLLATE "C" NOT NULL,
                idempotency_key text COLLATE "C" NOT NULL,
                practice        text COLLATE "C" NOT NULL,
                kind            text COLLATE "C" NOT NULL,
                payload         text COLLATE "C" NOT NULL,
                created_at      bigint NOT NULL,
                next_attempt_at bigint NOT NULL,
                attempts        bigint NOT NULL,
                locked_until    bigint NULL,
                delivered_at    bigint NULL,
                failed_at       bigint NULL,
                last_status     text COLLATE "C" NULL,
                CONSTRAINT ux_handoff_key UNIQUE (destination, idempotency_key)
            );
            CREATE INDEX ix_handoff_due ON handoff_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
            """),
    ];

    public static async Task ApplyAsync(NpgsqlConnection connection, string schema, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('scoring-migrations:' || @schema, 0));", cancellationToken, ("schema", schema));

        // The schema name was validated (lower-case letters, digits, '_'), so it is safe unquoted.
        await ExecuteAsync(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL);
            """, cancellationToken);
        foreach (var (version, name, sql) in All)
        {
            await using var check = new NpgsqlCommand($"SELECT COUNT(*) FROM {schema}.schema_migrations WHERE version = @v;", connection, transaction);
            check.Parameters.AddWithValue("v", version);
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO {schema}.schema_migrations (version, name, applied_at) VALUES (@v, @n, @t);", cancellationToken,
                ("v", version), ("n", name), ("t", now.ToUnixTimeMilliseconds()));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
