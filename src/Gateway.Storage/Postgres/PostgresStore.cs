using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// What every PostgreSQL store shares, in the shape of <see cref="Sqlite.SqliteStore"/>: its migrations run
/// once at construction, every operation takes a pooled connection, and any failure to reach or use the
/// database becomes <see cref="StoreUnavailableException"/> naming the store, so callers fail closed the same
/// way whatever the backend. Times are stored as Unix milliseconds (<c>bigint</c>), as the SQLite stores do.
/// </summary>
public abstract class PostgresStore
{
    private readonly PostgresDatabase _database;
    private readonly string _store;

    protected PostgresStore(PostgresDatabase database, string store, IReadOnlyList<string> migrations)
        : this(database, store, migrations, migrate: true)
    {
    }

    /// <param name="migrate">False for readers that must not change the schema (a verifier with read-only credentials).</param>
    protected PostgresStore(PostgresDatabase database, string store, IReadOnlyList<string> migrations, bool migrate)
    {
        _database = database;
        _store = store;
        if (!migrate)
        {
            return;
        }

        try
        {
            PostgresMigrator.Migrate(database, store, migrations);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new StoreUnavailableException(store, ex);
        }
    }

    protected PostgresDatabase Database => _database;

    /// <summary>Runs <paramref name="work"/> in one transaction (READ COMMITTED), committed before returning.</summary>
    protected async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new StoreUnavailableException(_store, ex);
        }
    }

    protected Task<int> ExecuteAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            await using var command = Command(connection, null, sql, bind);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    protected Task<object?> ScalarAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            await using var command = Command(connection, null, sql, bind);
            return await command.ExecuteScalarAsync(cancellationToken);
        }, cancellationToken);

    protected Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) =>
        WithConnectionAsync(connection => ReadAllAsync(Command(connection, null, sql, bind), read, cancellationToken), cancellationToken);

    protected static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Action<NpgsqlCommand>? bind = null)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        bind?.Invoke(command);
        return command;
    }

    protected static async Task<IReadOnlyList<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
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

    protected static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    protected static DateTimeOffset At(NpgsqlDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    protected static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    protected static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>
    /// Failures that mean "the store cannot be used now": anything Npgsql reports (unreachable server,
    /// authentication, missing tables, constraint and trigger errors), pool timeouts, and an unreadable password file.
    /// </summary>
    internal static bool IsUnavailable(Exception ex) => ex is NpgsqlException or TimeoutException or IOException or UnauthorizedAccessException
        || (ex is InvalidOperationException && ex.Source == "Npgsql");

    private async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new StoreUnavailableException(_store, ex);
        }
    }
}
