using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// Applies a component's numbered migrations once each, in order, inside a transaction, recording them in
/// <c>schema_migrations</c>. Run at start; a failure stops the start (fail closed).
/// </summary>
public static class SqliteMigrator
{
    public static void Migrate(SqliteDatabase database, string component, IReadOnlyList<string> migrations)
    {
        using var connection = database.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version));";
            create.ExecuteNonQuery();
        }

        for (var version = 1; version <= migrations.Count; version++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE component = $c AND version = $v;";
                check.Parameters.AddWithValue("$c", component);
                check.Parameters.AddWithValue("$v", version);
                if ((long)check.ExecuteScalar()! > 0)
                {
                    transaction.Commit();
                    continue;
                }
            }

            using (var apply = connection.CreateCommand())
            {
                apply.Transaction = transaction;
                apply.CommandText = migrations[version - 1];
                apply.ExecuteNonQuery();
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (component, version, applied_at) VALUES ($c, $v, $t);";
                record.Parameters.AddWithValue("$c", component);
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    internal static void AddIn(SqliteCommand command, string prefix, IEnumerable<string> values, out string placeholders)
    {
        var names = new List<string>();
        var i = 0;
        foreach (var value in values)
        {
            var name = $"${prefix}{i++}";
            names.Add(name);
            command.Parameters.AddWithValue(name, value);
        }

        placeholders = names.Count == 0 ? "NULL" : string.Join(", ", names);
    }
}
