namespace Scoring.Service.Options;

/// <summary>Which store keeps events and leads. SQLite is the default; a PostgreSQL store is planned behind the same interface.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    public const string Sqlite = "sqlite";

    public const string DefaultSqliteFileName = "scoring.db";

    public string Provider { get; set; } = Sqlite;

    /// <summary>The SQLite database file; default <c>&lt;DataDirectory&gt;/scoring.db</c>. Relative paths are under the data folder.</summary>
    public string? SqlitePath { get; set; }
}
