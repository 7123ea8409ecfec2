using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>Checks <see cref="StorageOptions"/>: only the SQLite store exists in this build.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public const string ProviderInvalid = "Storage:Provider must be 'sqlite' (the only store this build has).";

    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        string.Equals(options.Provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(ProviderInvalid);
}
