namespace Scoring.Service.Options;

/// <summary>Which store keeps events and leads: SQLite (the default, one instance) or PostgreSQL (several instances, or a managed database).</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    public const string Sqlite = "sqlite";

    public const string PostgresProvider = "postgres";

    public const string DefaultSqliteFileName = "scoring.db";

    public string Provider { get; set; } = Sqlite;

    /// <summary>The SQLite database file; default <c>&lt;DataDirectory&gt;/scoring.db</c>. Relative paths are under the data folder.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>The PostgreSQL database when <see cref="Provider"/> is <c>postgres</c>.</summary>
    public PostgresStorageOptions Postgres { get; set; } = new();
}

/// <summary>The PostgreSQL connection: a connection string without a password (from <see cref="PasswordFile"/>), and the schema of every table.</summary>
internal sealed class PostgresStorageOptions
{
    public const string DefaultSchema = "scoring";

    /// <summary>An Npgsql connection string without a password; use <c>SSL Mode=VerifyFull</c> off loopback.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A file holding only the database password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The schema of every table; created when missing.</summary>
    public string Schema { get; set; } = DefaultSchema;
}
