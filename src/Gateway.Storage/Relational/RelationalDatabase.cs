using System.Data.Common;

namespace Gateway.Storage.Relational;

/// <summary>
/// A database the stores share (<see cref="Sqlite.SqliteDatabase"/> for one instance, <see cref="Postgres.PostgresDatabase"/>
/// for several): it opens connections, begins write transactions, tells which failures mean "the store cannot be used
/// now", and spells the few things SQL says differently. Everything else a store does is written once, in
/// <see cref="RelationalStore"/>, with <c>@name</c> parameters (both providers accept them).
/// </summary>
public abstract class RelationalDatabase
{
    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);

    public abstract DbConnection OpenConnection();

    /// <summary>A transaction that writes (SQLite: <c>BEGIN IMMEDIATE</c>, so the write lock is taken up front).</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction, committed (durably) before the returned task completes.
    /// By default every call has its own connection and transaction; <see cref="Sqlite.SqliteDatabase"/> commits
    /// concurrent writes together (<see cref="Sqlite.SqliteWriteQueue"/>).
    /// </summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> (reads; writes go through <see cref="WriteAsync"/>) on a connection that is its own
    /// for the duration. By default a pooled connection opened for it; <see cref="Sqlite.SqliteDatabase"/> lends one it
    /// keeps open, with its statements prepared.
    /// </summary>
    public virtual async Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await work(connection);
    }

    /// <summary>
    /// Runs one statement that writes, durable before the returned task completes. By default on a connection of its own
    /// and committed by itself (no transaction: <paramref name="statement"/> gets null); <see cref="Sqlite.SqliteDatabase"/>
    /// queues it with its other writes.
    /// </summary>
    public virtual async Task<T> WriteStatementAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> statement, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await statement(connection, null);
    }

    /// <summary>Failures that mean "the store cannot be used now" (they become <see cref="StoreUnavailableException"/>).</summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>The table recording applied migrations, qualified as the backend needs.</summary>
    public abstract string MigrationsTable { get; }

    /// <summary>
    /// Runs before a component's migrations, in their transaction: creates the migrations table (and schema), and
    /// takes whatever lock keeps several instances from migrating at once.
    /// </summary>
    public abstract void PrepareMigrations(DbConnection connection, DbTransaction transaction);

    /// <summary>SQL that is true when <paramref name="column"/> is one of <paramref name="values"/>, with the values bound to <paramref name="command"/>.</summary>
    public abstract string AnyOf<T>(DbCommand command, string column, string name, IReadOnlyCollection<T> values);

    /// <summary>An ORDER BY term that sorts text by its bytes on every backend (as <see cref="StringComparer.Ordinal"/>).</summary>
    public abstract string OrdinalOrder(string column);
}
