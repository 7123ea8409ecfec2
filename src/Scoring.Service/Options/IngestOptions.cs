namespace Scoring.Service.Options;

/// <summary>
/// How the gateway authenticates and how big a batch may be. The service keeps only the SHA-256 of the bearer
/// token, so a leaked configuration file does not leak the token.
/// </summary>
internal sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The gateway's batches are at most 500 KB (Segment's limit); scrubbed ones are smaller.</summary>
    public const int DefaultMaxBatchBytes = 1024 * 1024;

    public const int MinMaxBatchBytes = 1024;

    public const int MaxMaxBatchBytes = 16 * 1024 * 1024;

    /// <summary>Lower-case hex SHA-256 of the bearer token the gateway sends. Required.</summary>
    public string? TokenSha256 { get; set; }

    public int MaxBatchBytes { get; set; } = DefaultMaxBatchBytes;
}
