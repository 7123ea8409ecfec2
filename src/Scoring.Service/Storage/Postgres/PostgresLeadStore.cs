using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;
using Scoring.Service.Options;

namespace Scoring.Service.Storage.Postgres;

/// <summary>
/// The store for several scoring instances (or a managed database): PostgreSQL, every table in the configured
/// schema (<c>scoring</c> by default, created when missing). The same contract as the SQLite store. Appends of one
/// practice are serialized by a transaction-scoped advisory lock, as SQLite's <c>BEGIN IMMEDIATE</c> serializes all
/// writes, so identity links and merges never interleave. Text columns use the "C" collation so lists order as
/// they do on SQLite.
/// </summary>
internal sealed class PostgresLeadStore : RelationalLeadStore, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly TimeProvider _time;

    public PostgresLeadStore(IOptions<StorageOptions> options, TimeProvider time)
    {
        var postgres = options.Value.Postgres;
        _schema = postgres.Schema;
        _time = time;
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SearchPath = _schema };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "scoring";
        }

        if (!string.IsNullOrWhiteSpace(postgres.PasswordFile))
        {
            var path = Path.IsPathRooted(postgres.PasswordFile) ? postgres.PasswordFile : Path.Combine(ServiceHost.WorkingDirectory, postgres.PasswordFile);
            builder.Password = File.ReadAllText(path).TrimEnd('\r', '\n', ' ', '\t');
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    protected override string Greatest => "GREATEST";

    protected override string Least => "LEAST";

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await PostgresMigrations.ApplyAsync(connection, _schema, _time.GetUtcNow(), cancellationToken);
    }

    public void Dispose() => _dataSource.Dispose();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    protected override Task LockPracticeAsync(DbConnection connection, DbTransaction transaction, string practice, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('scoring-append:' || @p, 0));", cancellationToken, ("@p", practice));
}
