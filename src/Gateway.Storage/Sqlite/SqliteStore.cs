using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// What every SQLite store shares: its migrations run once at construction, every operation opens a pooled
/// connection, and any SQLite failure becomes <see cref="StoreUnavailableException"/> naming the store, so
/// callers fail closed the same way whatever went wrong.
/// </summary>
public abstract class SqliteStore
{
    private readonly SqliteDatabase _database;
    private readonly string _store;

    protected SqliteStore(SqliteDatabase database, string store, IReadOnlyList<string> migrations)
    {
        _database = database;
        _store = store;
        try
        {
            SqliteMigrator.Migrate(database, store, migrations);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(store, ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE: the write lock is taken up front).</summary>
    protected async Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(_store, ex);
        }
    }

    protected Task<int> ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            await using var command = Command(connection, null, sql, bind);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    protected Task<object?> ScalarAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            await using var command = Command(connection, null, sql, bind);
            return await command.ExecuteScalarAsync(cancellationToken);
        }, cancellationToken);

    protected Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        WithConnectionAsync(connection => ReadAllAsync(Command(connection, null, sql, bind), read, cancellationToken), cancellationToken);

    protected static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, Action<SqliteCommand>? bind = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind?.Invoke(command);
        return command;
    }

    protected static async Task<IReadOnlyList<T>> ReadAllAsync<T>(SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var result = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(read(reader));
            }

            return result;
        }
    }

    /// <summary>A nullable value as a parameter value.</summary>
    protected static object OrNull(object? value) => value ?? DBNull.Value;

    protected static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    protected static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private async Task<T> WithConnectionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(_store, ex);
        }
    }
}
