using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>Resolves the SQLite file against the (already resolved) data folder; default <c>&lt;DataDirectory&gt;/scoring.db</c>.</summary>
internal sealed class StoragePaths : IPostConfigureOptions<StorageOptions>
{
    private readonly IOptions<ScoringOptions> _scoring;

    public StoragePaths(IOptions<ScoringOptions> scoring)
    {
        _scoring = scoring;
    }

    public void PostConfigure(string? name, StorageOptions options)
    {
        var data = _scoring.Value.DataDirectory;
        options.SqlitePath = Path.GetFullPath(Path.Combine(data, string.IsNullOrWhiteSpace(options.SqlitePath) ? StorageOptions.DefaultSqliteFileName : options.SqlitePath));
    }
}
