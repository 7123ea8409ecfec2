using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Scoring.Service.Options;

/// <summary>Checks <see cref="StorageOptions"/>, reporting every problem at once (never the connection string, which may hold a secret).</summary>
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public const string ProviderInvalid = "Storage:Provider must be 'sqlite' or 'postgres'.";
    public const string ConnectionStringRequired = "Storage:Postgres:ConnectionString is required (Host=...;Database=...;Username=...; the password goes in Storage:Postgres:PasswordFile).";
    public const string ConnectionStringInvalid = "Storage:Postgres:ConnectionString is not a valid Npgsql connection string.";
    public const string PasswordInConnectionString = "Storage:Postgres:ConnectionString must not hold a password: put it in the file named by Storage:Postgres:PasswordFile.";
    public const string SchemaInvalid = "Storage:Postgres:Schema must be 1-63 characters of [a-z0-9_], starting with a letter or '_' (not 'pg_').";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.Equals(options.Provider, StorageOptions.PostgresProvider, StringComparison.OrdinalIgnoreCase))
        {
            var postgres = options.Postgres;
            if (string.IsNullOrWhiteSpace(postgres.ConnectionString))
            {
                errors.Add(ConnectionStringRequired);
            }
            else
            {
                try
                {
                    if (!string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(postgres.ConnectionString).Password))
                    {
                        errors.Add(PasswordInConnectionString);
                    }
                }
                catch (ArgumentException)
                {
                    errors.Add(ConnectionStringInvalid);
                }
            }

            if (!string.IsNullOrWhiteSpace(postgres.PasswordFile)
                && !File.Exists(Path.IsPathRooted(postgres.PasswordFile) ? postgres.PasswordFile : Path.Combine(ServiceHost.WorkingDirectory, postgres.PasswordFile)))
            {
                errors.Add($"Storage:Postgres:PasswordFile ({postgres.PasswordFile}) does not exist.");
            }

            if (!SchemaName().IsMatch(postgres.Schema ?? string.Empty) || postgres.Schema!.StartsWith("pg_", StringComparison.Ordinal))
            {
                errors.Add(SchemaInvalid);
            }
        }
        else if (!string.Equals(options.Provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(ProviderInvalid);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
