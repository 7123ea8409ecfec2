using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// One PostgreSQL database (and schema) shared by the gateway's stores and by every gateway instance: a pooled
/// data source whose connections use the schema as their search path. Each store migrates its own tables at
/// start; the schema is created when missing. PostgreSQL's defaults (<c>synchronous_commit = on</c>) make a
/// committed transaction durable, as <c>synchronous=FULL</c> does for SQLite.
/// </summary>
public sealed class PostgresDatabase : IDisposable, IAsyncDisposable
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

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) => _dataSource.OpenConnectionAsync(cancellationToken);

    public NpgsqlConnection Open() => _dataSource.OpenConnection();

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
