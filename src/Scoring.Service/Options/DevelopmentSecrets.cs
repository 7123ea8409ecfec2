using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>
/// Development only: when no ingest token or API key is configured, uses (or creates) a random one stored in the
/// data folder, <c>dev-ingest-token.txt</c> and <c>dev-api-key.txt</c> (owner-only permissions), and configures
/// its hash. The secrets are never logged, only the files' paths. Never registered outside Development, where
/// missing secrets stop the service from starting.
/// </summary>
internal sealed partial class DevelopmentSecrets : IPostConfigureOptions<IngestOptions>, IPostConfigureOptions<ApiOptions>
{
    public const string IngestTokenFile = "dev-ingest-token.txt";
    public const string ApiKeyFile = "dev-api-key.txt";
    public const string ApiKeyName = "development";

    private readonly IOptions<ScoringOptions> _scoring;
    private readonly ILogger<DevelopmentSecrets> _logger;

    public DevelopmentSecrets(IOptions<ScoringOptions> scoring, ILogger<DevelopmentSecrets> logger)
    {
        _scoring = scoring;
        _logger = logger;
    }

    public void PostConfigure(string? name, IngestOptions options)
    {
        if (string.IsNullOrEmpty(options.TokenSha256))
        {
            options.TokenSha256 = SecretHashes.Hash(ReadOrCreate(IngestTokenFile));
        }
    }

    public void PostConfigure(string? name, ApiOptions options)
    {
        if (options.Keys.Count == 0)
        {
            options.Keys[ApiKeyName] = SecretHashes.Hash(ReadOrCreate(ApiKeyFile));
        }
    }

    private string ReadOrCreate(string fileName)
    {
        var directory = _scoring.Value.DataDirectory;
        var path = Path.Combine(directory, fileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 32 } existing)
        {
            Log.UsingSecret(_logger, path);
            return existing;
        }

        Directory.CreateDirectory(directory);
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Log.CreatedSecret(_logger, path);
        return secret;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Development: no secret configured; created one in {Path}")]
        public static partial void CreatedSecret(ILogger logger, string path);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Development: no secret configured; using the one in {Path}")]
        public static partial void UsingSecret(ILogger logger, string path);
    }
}
