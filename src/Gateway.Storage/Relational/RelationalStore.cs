using System.Data;
using System.Data.Common;

namespace Gateway.Storage.Relational;

/// <summary>
/// What every store shares, on SQLite and PostgreSQL alike: its migrations run once at construction, every
/// operation opens a pooled connection, and any failure to reach or use the database becomes
/// <see cref="StoreUnavailableException"/> naming the store, so callers fail closed the same way whatever the
/// backend. Times are stored as Unix milliseconds (integer / bigint).
/// <para>
/// Adding a store: derive from this class with one migration list per backend (DDL differs: types, identity
/// columns, append-only triggers) and write the queries once with <c>@name</c> parameters, using
/// <see cref="RelationalDatabase.AnyOf"/> and <see cref="RelationalDatabase.OrdinalOrder"/> where the SQL differs
/// (see <see cref="Consent.RelationalConsentLedger"/>). A store whose queries differ in substance (the outbox's
/// <c>FOR UPDATE SKIP LOCKED</c> claim) derives from <see cref="Sqlite.SqliteStore"/> or
/// <see cref="Postgres.PostgresStore"/> instead, which add the providers' own types to the same operations.
/// </para>
/// </summary>
public abstract class RelationalStore
{
    private readonly string _store;

    /// <param name="migrate">False for readers that must not change the schema (a verifier with read-only credentials).</param>
    protected RelationalStore(RelationalDatabase database, string store, IReadOnlyList<string> migrations, bool migrate = true)
    {
        Database = database;
        _store = store;
        if (!migrate)
        {
            return;
        }

        try
        {
            RelationalMigrator.Migrate(database, store, migrations);
        }
        catch (Exception ex) when (database.IsUnavailable(ex))
        {
            throw new StoreUnavailableException(store, ex);
        }
    }

    protected RelationalDatabase Database { get; }

    /// <summary>
    /// Adds the parameter <paramref name="name"/>, spelled with its prefix as in the SQL (<c>@practice</c>): Microsoft.Data.Sqlite
    /// looks a name without one up under every prefix in turn. Null becomes SQL NULL of <paramref name="nullType"/> (PostgreSQL needs a type).
    /// </summary>
    public static void Add(DbCommand command, string name, object? value, DbType nullType = DbType.String)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null)
        {
            parameter.DbType = nullType;
        }

        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction, committed before returning (see
    /// <see cref="RelationalDatabase.WriteAsync"/>). <paramref name="work"/> only uses the connection it is given: on
    /// SQLite it runs inside a group commit, where waiting for another write would wait forever.
    /// </summary>
    protected Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        UnavailableAsStoreError(() => Database.WriteAsync(work, cancellationToken));

    /// <summary>One statement that writes (see <see cref="RelationalDatabase.WriteStatementAsync"/>).</summary>
    protected Task<int> ExecuteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken) =>
        UnavailableAsStoreError(() => Database.WriteStatementAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, sql, bind);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken));

    /// <summary>One statement that writes and returns a value (an inserted row's id).</summary>
    protected Task<object?> ScalarAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken) =>
        UnavailableAsStoreError(() => Database.WriteStatementAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, sql, bind);
            return await command.ExecuteScalarAsync(cancellationToken);
        }, cancellationToken));

    protected Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken) =>
        WithConnectionAsync(connection => ReadAllAsync(Command(connection, null, sql, bind), read, cancellationToken), cancellationToken);

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, Action<DbCommand>? bind = null)
    {
        DbCommand command;
        if (connection is IPreparedCommands prepared)
        {
            command = prepared.Command(sql, transaction);
        }
        else
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
        }

        bind?.Invoke(command);
        return command;
    }

    protected static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
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

    protected static DateTimeOffset At(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    protected static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    protected static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    protected Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        UnavailableAsStoreError(() => Database.WithConnectionAsync(work, cancellationToken));

    /// <summary>The provider's "cannot be used now" failures become <see cref="StoreUnavailableException"/> naming this store.</summary>
    private async Task<T> UnavailableAsStoreError<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (Database.IsUnavailable(ex))
        {
            throw new StoreUnavailableException(_store, ex);
        }
    }
}

/// <summary>
/// <see cref="RelationalStore"/> with a provider's own types (<c>SqliteCommand</c>, <c>NpgsqlDataReader</c>, ...), for
/// stores written for one backend: the same operations, nothing added.
/// </summary>
public abstract class RelationalStore<TConnection, TTransaction, TCommand, TReader>(RelationalDatabase database, string store, IReadOnlyList<string> migrations, bool migrate = true)
    : RelationalStore(database, store, migrations, migrate)
    where TConnection : DbConnection
    where TTransaction : DbTransaction
    where TCommand : DbCommand
    where TReader : DbDataReader
{
    protected Task<T> InTransactionAsync<T>(Func<TConnection, TTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        base.InTransactionAsync((connection, transaction) => work((TConnection)connection, (TTransaction)transaction), cancellationToken);

    protected Task<int> ExecuteAsync(string sql, Action<TCommand> bind, CancellationToken cancellationToken) =>
        base.ExecuteAsync(sql, command => bind((TCommand)command), cancellationToken);

    protected Task<object?> ScalarAsync(string sql, Action<TCommand> bind, CancellationToken cancellationToken) =>
        base.ScalarAsync(sql, command => bind((TCommand)command), cancellationToken);

    protected Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<TCommand> bind, Func<TReader, T> read, CancellationToken cancellationToken) =>
        base.QueryAsync(sql, command => bind((TCommand)command), reader => read((TReader)reader), cancellationToken);

    protected static TCommand Command(TConnection connection, TTransaction? transaction, string sql, Action<TCommand>? bind = null)
    {
        var command = (TCommand)RelationalStore.Command(connection, transaction, sql);
        bind?.Invoke(command);
        return command;
    }

    protected static Task<IReadOnlyList<T>> ReadAllAsync<T>(TCommand command, Func<TReader, T> read, CancellationToken cancellationToken) =>
        RelationalStore.ReadAllAsync(command, reader => read((TReader)reader), cancellationToken);
}
