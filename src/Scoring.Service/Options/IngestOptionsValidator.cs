using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>Checks <see cref="IngestOptions"/> at start; the service does not start without a token hash.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public const string TokenRequired = "Ingest:TokenSha256 is required: the lower-case hex SHA-256 of the bearer token the gateway sends.";
    public const string TokenInvalid = "Ingest:TokenSha256 must be 64 lower-case hex characters (a SHA-256).";
    public static readonly string BatchSizeInvalid = $"Ingest:MaxBatchBytes must be between {IngestOptions.MinMaxBatchBytes} and {IngestOptions.MaxMaxBatchBytes}.";

    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.TokenSha256))
        {
            failures.Add(TokenRequired);
        }
        else if (!SecretHashes.IsValid(options.TokenSha256))
        {
            failures.Add(TokenInvalid);
        }

        if (options.MaxBatchBytes is < IngestOptions.MinMaxBatchBytes or > IngestOptions.MaxMaxBatchBytes)
        {
            failures.Add(BatchSizeInvalid);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
