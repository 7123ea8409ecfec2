using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>
/// Resolves the data folder against the content root and finds the repository's <c>policies</c> folder when none
/// is configured, so <c>dotnet run --project src/Scoring.Service</c> works with no settings.
/// </summary>
internal sealed class ScoringPaths : IPostConfigureOptions<ScoringOptions>
{
    private readonly IHostEnvironment _environment;

    public ScoringPaths(IHostEnvironment environment)
    {
        _environment = environment;
    }

    public void PostConfigure(string? name, ScoringOptions options)
    {
        var root = _environment.ContentRootPath;
        options.DataDirectory = Path.GetFullPath(Path.Combine(root, string.IsNullOrWhiteSpace(options.DataDirectory) ? ScoringOptions.DefaultDataDirectory : options.DataDirectory));
        options.PoliciesDirectory = string.IsNullOrWhiteSpace(options.PoliciesDirectory)
            ? FindPolicies(root)
            : Path.GetFullPath(Path.Combine(root, options.PoliciesDirectory));
    }

    private static string? FindPolicies(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "policies");
            if (File.Exists(Path.Combine(candidate, "scoring.schema.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}
