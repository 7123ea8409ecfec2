using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Scoring.Service.Options;

namespace Scoring.Service.Storage.Sqlite;

/// <summary>
/// The default store: one SQLite file in the data folder, WAL journal, full fsync on commit (a 200 to the gateway
/// promises the events are durable). Writes run in <c>BEGIN IMMEDIATE</c> transactions, so concurrent batches
/// serialize and the unique (practice, message_id) constraint decides which copy of a retried event is new.
/// </summary>
internal sealed class SqliteLeadStore : RelationalLeadStore
{
    private readonly string _path;
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public SqliteLeadStore(IOptions<StorageOptions> options, TimeProvider time)
    {
        _path = options.Value.SqlitePath ?? throw new InvalidOperationException("Storage:SqlitePath was not resolved.");
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    protected override string Greatest => "MAX";

    protected override string Least => "MIN";

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        await SqliteMigrations.ApplyAsync(connection, _time.GetUtcNow(), cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;", cancellationToken);
        return connection;
    }

    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
}
