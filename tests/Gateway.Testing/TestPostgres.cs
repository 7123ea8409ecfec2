using Npgsql;

namespace Gateway.Testing;

/// <summary>
/// The PostgreSQL server the tests run against: <c>GATEWAY_TEST_POSTGRES</c> (an Npgsql connection string;
/// <c>./scripts/test.sh</c> starts a throwaway cluster and sets it). Each test or fixture isolates itself in a
/// fresh schema, dropped afterwards. <c>GATEWAY_TEST_POSTGRES=skip</c> turns the PostgreSQL tests off knowingly.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "GATEWAY_TEST_POSTGRES";

    public const string NotRunMessage = "PostgreSQL tests did not run: set GATEWAY_TEST_POSTGRES or run ./scripts/test.sh";

    private static readonly string? s_value = Environment.GetEnvironmentVariable(Variable);

    /// <summary>True when a server is configured (and not explicitly skipped).</summary>
    public static bool IsConfigured => !string.IsNullOrWhiteSpace(s_value) && !IsSkipped;

    /// <summary>True when <c>GATEWAY_TEST_POSTGRES=skip</c>: someone chose not to run them.</summary>
    public static bool IsSkipped => string.Equals(s_value, "skip", StringComparison.OrdinalIgnoreCase);

    public static string ConnectionString => IsConfigured ? s_value! : throw new InvalidOperationException(NotRunMessage);

    /// <summary>A fresh, unique schema name (created by the code under test, which creates its schema when missing).</summary>
    public static string NewSchemaName(string prefix = "t") => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>Drops a schema and everything in it (the append-only triggers do not stop DROP).</summary>
    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE;", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs SQL with the schema as search path.</summary>
    public static void Execute(string schema, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
