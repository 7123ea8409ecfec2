using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// <see cref="RelationalStore"/> on SQLite with its own types, for stores written for SQLite alone (the outbox,
/// quarantine): migrations at construction, pooled connections, write transactions that take the lock up front
/// (<c>BEGIN IMMEDIATE</c>), and every SQLite failure as <see cref="StoreUnavailableException"/> naming the store.
/// </summary>
public abstract class SqliteStore(SqliteDatabase database, string store, IReadOnlyList<string> migrations)
    : RelationalStore<SqliteConnection, SqliteTransaction, SqliteCommand, SqliteDataReader>(database, store, migrations)
{
    /// <summary>Binds one parameter per value (<c>$prefix0, $prefix1, ...</c>); <paramref name="placeholders"/> lists them for <c>IN (...)</c>.</summary>
    protected static void AddIn(SqliteCommand command, string prefix, IEnumerable<string> values, out string placeholders)
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
