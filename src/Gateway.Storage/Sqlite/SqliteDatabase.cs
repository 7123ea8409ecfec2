using System.Data.Common;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// One SQLite database file shared by the gateway's stores: WAL journal, <c>synchronous=FULL</c> (a
/// committed transaction survives power loss), foreign keys on, a busy timeout so concurrent writers wait
/// instead of failing. Each store migrates its own tables at start. Writes of this process are committed in groups
/// (<see cref="SqliteWriteQueue"/>): one fsync for all the writes waiting, instead of one each.
/// <para>
/// Temporary data (the savepoint journals of a group commit) is kept in memory: on a file, every page a write changes
/// inside its savepoint was first copied there, one system call per page, for data no crash recovery ever reads, and
/// into a temporary file outside the data folder (<c>/var/tmp</c>), where <c>secure_delete</c> does not reach.
/// The connection settings are applied once per pooled connection, when it is first opened.
/// </para>
/// <para>
/// The stores' reads and the group commit run on connections kept open (<see cref="SqliteKeptConnection"/>), with
/// their statements prepared once: a reader is lent for one read and taken back, up to <see cref="MaxIdleReaders"/>
/// wait between reads; a connection whose operation failed is closed, not kept. Disposing closes the kept connections.
/// </para>
/// </summary>
public sealed class SqliteDatabase : RelationalDatabase, IDisposable
{
    /// <summary>How many open readers wait between reads at most; more are opened when more reads run at once.</summary>
    public const int MaxIdleReaders = 8;

    private readonly SqliteWriteQueue _writes;
    /// <summary>Open readers between reads, the last returned on top (its pages and statements are the warmest).</summary>
    private readonly Stack<SqliteKeptConnection> _idleReaders = new(MaxIdleReaders);

    /// <summary>The native connections (kept by the pool across opens) whose settings are already applied.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

    public SqliteDatabase(string path, int busyTimeoutMs = 5000)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        BusyTimeoutMs = busyTimeoutMs;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (busyTimeoutMs + 999) / 1000),
        }.ToString();
        _writes = new SqliteWriteQueue(this);
    }

    public string Path { get; }

    public int BusyTimeoutMs { get; }

    public string ConnectionString { get; }

    public override string MigrationsTable => "schema_migrations";

    private string Pragmas => $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY; PRAGMA busy_timeout={BusyTimeoutMs};";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ConfigureAsync(connection, cancellationToken);
        return connection;
    }

    private async Task ConfigureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (!IsConfigured(connection))
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = Pragmas;
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            Configured(connection);
        }
    }

    public override DbConnection OpenConnection() => Open();

    /// <summary>Opens a connection that keeps its statements prepared; its owner closes it.</summary>
    public async ValueTask<SqliteKeptConnection> OpenKeptAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteKeptConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ConfigureAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        SqliteKeptConnection? connection;
        lock (_idleReaders)
        {
            _idleReaders.TryPop(out connection);
        }

        connection ??= await OpenKeptAsync(cancellationToken);

        T result;
        try
        {
            result = await work(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        lock (_idleReaders)
        {
            if (_idleReaders.Count < MaxIdleReaders)
            {
                _idleReaders.Push(connection);
                return result;
            }
        }

        await connection.DisposeAsync();
        return result;
    }

    /// <summary>Closes the kept connections (idle readers, and the group commit's writer when no group is running).</summary>
    public void Dispose()
    {
        List<SqliteKeptConnection> idle;
        lock (_idleReaders)
        {
            idle = [.. _idleReaders];
            _idleReaders.Clear();
        }

        foreach (var connection in idle)
        {
            connection.Dispose();
        }

        _writes.CloseIdleConnection();
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        if (!IsConfigured(connection))
        {
            using var pragma = connection.CreateCommand();
            pragma.CommandText = Pragmas;
            pragma.ExecuteNonQuery();
            Configured(connection);
        }

        return connection;
    }

    /// <summary>
    /// The settings are per native connection and stay with it while the pool keeps it; a connection the pool closes
    /// takes its entry with it, and a new native connection is configured on its first open.
    /// </summary>
    private bool IsConfigured(SqliteConnection connection) => _configured.TryGetValue(connection.Handle!, out _);

    private void Configured(SqliteConnection connection) => _configured.AddOrUpdate(connection.Handle!, this);

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _writes.RunAsync(work, cancellationToken);

    /// <summary>In the group commit too: a statement committed by itself would wait for the group's write lock.</summary>
    public override Task<T> WriteStatementAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> statement, CancellationToken cancellationToken) =>
        _writes.RunAsync((connection, transaction) => statement(connection, transaction), cancellationToken);

    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override bool IsUnavailable(Exception exception) => exception is SqliteException;

    public override void PrepareMigrations(DbConnection connection, DbTransaction transaction)
    {
        using var create = connection.CreateCommand();
        create.Transaction = transaction;
        create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version));";
        create.ExecuteNonQuery();
    }

    /// <summary>SQLite has no array parameters: one parameter per value.</summary>
    public override string AnyOf<T>(DbCommand command, string column, string name, IReadOnlyCollection<T> values)
    {
        var names = new List<string>(values.Count);
        foreach (var value in values)
        {
            var parameter = $"@{name}{names.Count}";
            RelationalStore.Add(command, parameter, value);
            names.Add(parameter);
        }

        return names.Count == 0 ? "0 = 1" : $"{column} IN ({string.Join(", ", names)})";
    }

    public override string OrdinalOrder(string column) => column;
}
