using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Applies a component's numbered migrations once each, in order, recording them in <c>schema_migrations</c>
/// of the database's schema (created when missing). All of a component's pending migrations run in one
/// transaction under an advisory lock on the schema, so several instances starting at once migrate it once.
/// Run at start; a failure stops the start (fail closed).
/// </summary>
public static class PostgresMigrator
{
    public static void Migrate(PostgresDatabase database, string component, IReadOnlyList<string> migrations)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('gateway-migrations:' || @schema, 0));", c => c.Parameters.AddWithValue("schema", database.Schema));

        // The schema name was validated (lower-case letters, digits, '_'), so it is safe unquoted.
        Execute(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {database.Schema};
            CREATE TABLE IF NOT EXISTS {database.Schema}.schema_migrations (
                component text NOT NULL,
                version integer NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (component, version)
            );
            """);
        for (var version = 1; version <= migrations.Count; version++)
        {
            using var check = Command(connection, transaction, $"SELECT COUNT(*) FROM {database.Schema}.schema_migrations WHERE component = @c AND version = @v;");
            check.Parameters.AddWithValue("c", component);
            check.Parameters.AddWithValue("v", version);
            if ((long)check.ExecuteScalar()! > 0)
            {
                continue;
            }

            Execute(connection, transaction, migrations[version - 1]);
            Execute(connection, transaction, $"INSERT INTO {database.Schema}.schema_migrations (component, version) VALUES (@c, @v);", c =>
            {
                c.Parameters.AddWithValue("c", component);
                c.Parameters.AddWithValue("v", version);
            });
        }

        transaction.Commit();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) => new(sql, connection, transaction);

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Action<NpgsqlCommand>? bind = null)
    {
        using var command = Command(connection, transaction, sql);
        bind?.Invoke(command);
        command.ExecuteNonQuery();
    }
}
