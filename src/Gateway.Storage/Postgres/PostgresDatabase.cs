using System.Data.Common;
using Gateway.Storage.Relational;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// One PostgreSQL database (and schema) shared by the gateway's stores and by every gateway instance: a pooled
/// data source whose connections use the schema as their search path. Each store migrates its own tables at
/// start; the schema is created when missing. PostgreSQL's defaults (<c>synchronous_commit = on</c>) make a
/// committed transaction durable, as <c>synchronous=FULL</c> does for SQLite.
/// </summary>
public sealed class PostgresDatabase : RelationalDatabase, IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(PostgresConnectionSettings settings, string contentRoot, string? applicationName = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!PostgresConnectionSettings.IsValidSchema(settings.Schema))
        {
            throw new ArgumentException("The schema name is not valid.", nameof(settings));
        }

        Settings = settings;
        _dataSource = NpgsqlDataSource.Create(settings.Build(contentRoot, applicationName));
    }

    public PostgresConnectionSettings Settings { get; }

    public string Schema => Settings.Schema;

    public override string MigrationsTable => $"{Schema}.schema_migrations";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => await _dataSource.OpenConnectionAsync(cancellationToken);

    public override DbConnection OpenConnection() => _dataSource.OpenConnection();

    /// <summary>READ COMMITTED, PostgreSQL's default.</summary>
    public override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction();

    /// <summary>
    /// Anything Npgsql reports (unreachable server, authentication, missing tables, constraint and trigger errors),
    /// pool timeouts, and an unreadable password file.
    /// </summary>
    public override bool IsUnavailable(Exception exception) => exception is NpgsqlException or TimeoutException or IOException or UnauthorizedAccessException
        || (exception is InvalidOperationException && exception.Source == "Npgsql");

    /// <summary>
    /// Several instances starting at once migrate the schema once: an advisory lock on the schema is held for the
    /// transaction. The schema name was validated (lower-case letters, digits, '_'), so it is safe unquoted.
    /// </summary>
    public override void PrepareMigrations(DbConnection connection, DbTransaction transaction)
    {
        using (var lockSchema = connection.CreateCommand())
        {
            lockSchema.Transaction = transaction;
            lockSchema.CommandText = "SELECT pg_advisory_xact_lock(hashtextextended('gateway-migrations:' || @schema, 0));";
            RelationalStore.Add(lockSchema, "@schema", Schema);
            lockSchema.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Schema}.schema_migrations (
                component text NOT NULL,
                version integer NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (component, version)
            );
            """;
        command.ExecuteNonQuery();
    }

    public override string AnyOf<T>(DbCommand command, string column, string name, IReadOnlyCollection<T> values)
    {
        RelationalStore.Add(command, "@" + name, values.ToArray());
        return $"{column} = ANY(@{name})";
    }

    public override string OrdinalOrder(string column) => $"{column} COLLATE \"C\"";

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
