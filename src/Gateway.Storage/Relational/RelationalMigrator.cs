using System.Data.Common;
using System.Globalization;

namespace Gateway.Storage.Relational;

/// <summary>
/// Applies a component's numbered migrations once each, in order, recording them in the migrations table; all
/// of a component's pending migrations run in one transaction (under the backend's migration lock), so a failure
/// leaves nothing half-applied. Run at start; a failure stops the start (fail closed).
/// </summary>
public static class RelationalMigrator
{
    public static void Migrate(RelationalDatabase database, string component, IReadOnlyList<string> migrations)
    {
        using var connection = database.OpenConnection();
        using var transaction = database.BeginWrite(connection);
        database.PrepareMigrations(connection, transaction);
        for (var version = 1; version <= migrations.Count; version++)
        {
            using var check = Command(connection, transaction, $"SELECT COUNT(*) FROM {database.MigrationsTable} WHERE component = @c AND version = @v;", component, version);
            if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }

            using (var apply = Command(connection, transaction, migrations[version - 1]))
            {
                apply.ExecuteNonQuery();
            }

            using var record = Command(connection, transaction, $"INSERT INTO {database.MigrationsTable} (component, version, applied_at) VALUES (@c, @v, @t);", component, version);
            RelationalStore.Add(record, "@t", DateTimeOffset.UtcNow);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, string? component = null, int version = 0)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (component is not null)
        {
            RelationalStore.Add(command, "@c", component);
            RelationalStore.Add(command, "@v", version);
        }

        return command;
    }
}
