using System.Text.RegularExpressions;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// How to reach the PostgreSQL database: a connection string without a password (it would end up in
/// configuration files, environment listings and logs), the password in a file of its own, and the schema
/// every table lives in. <see cref="Validate"/> reports every problem, never the password.
/// </summary>
public sealed partial record PostgresConnectionSettings
{
    public required string ConnectionString { get; init; }

    /// <summary>A file holding only the password (trailing whitespace ignored); none for trust or certificate authentication.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>The schema of every table; created when missing.</summary>
    public required string Schema { get; init; }

    /// <summary>True for a name usable unquoted as a PostgreSQL schema: 1-63 of [a-z0-9_], not starting with a digit or <c>pg_</c>.</summary>
    public static bool IsValidSchema(string? schema) => schema is not null && SchemaName().IsMatch(schema) && !schema.StartsWith("pg_", StringComparison.Ordinal);

    /// <summary>Every problem with these settings, each prefixed with <paramref name="section"/> (e.g. <c>Gateway:Storage:Postgres</c>).</summary>
    public static IReadOnlyList<string> Validate(string section, string? connectionString, string? passwordFile, string? schema, string contentRoot)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add($"{section}:ConnectionString is required (Host=...;Database=...;Username=...; no password: use {section}:PasswordFile).");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                if (!string.IsNullOrEmpty(builder.Password))
                {
                    errors.Add($"{section}:ConnectionString must not hold a password: put it in the file named by {section}:PasswordFile.");
                }

                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    errors.Add($"{section}:ConnectionString needs a Host.");
                }
            }
            catch (ArgumentException)
            {
                // The message may quote the connection string (and whatever secret was put in it): name the setting only.
                errors.Add($"{section}:ConnectionString is not a valid Npgsql connection string.");
            }
        }

        if (!string.IsNullOrWhiteSpace(passwordFile) && !File.Exists(ResolvePath(passwordFile, contentRoot)))
        {
            errors.Add($"{section}:PasswordFile ({passwordFile}) does not exist.");
        }

        if (!IsValidSchema(schema))
        {
            errors.Add($"{section}:Schema must be 1-63 characters of [a-z0-9_], starting with a letter or '_' (not 'pg_').");
        }

        return errors;
    }

    /// <summary>The connection string to open connections with: the password from its file, the schema as the search path.</summary>
    public string Build(string contentRoot, string? applicationName = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = Schema };
        if (!string.IsNullOrWhiteSpace(PasswordFile))
        {
            builder.Password = File.ReadAllText(ResolvePath(PasswordFile, contentRoot)).TrimEnd('\r', '\n', ' ', '\t');
        }

        if (applicationName is not null && string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = applicationName;
        }

        return builder.ConnectionString;
    }

    /// <summary>Host, port, database, user and schema, for logs and messages: never the password.</summary>
    public string Describe()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"Host={builder.Host};Port={builder.Port};Database={builder.Database};Username={builder.Username};SSL Mode={builder.SslMode};Schema={Schema}";
        }
        catch (ArgumentException)
        {
            return "(invalid connection string)";
        }
    }

    private static string ResolvePath(string path, string contentRoot) => Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
