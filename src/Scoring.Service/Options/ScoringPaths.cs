using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>
/// Resolves the data folder against the working directory and finds the repository's <c>policies</c> folder when none
/// is configured (searching up from the working directory, then from the app's folder), so <c>dotnet run --project src/Scoring.Service</c> works with no settings.
/// </summary>
internal sealed class ScoringPaths : IPostConfigureOptions<ScoringOptions>
{
    public void PostConfigure(string? name, ScoringOptions options)
    {
        var root = ServiceHost.WorkingDirectory;
        options.DataDirectory = Path.GetFullPath(Path.Combine(root, string.IsNullOrWhiteSpace(options.DataDirectory) ? ScoringOptions.DefaultDataDirectory : options.DataDirectory));
        options.PoliciesDirectory = string.IsNullOrWhiteSpace(options.PoliciesDirectory)
            ? FindPolicies(root) ?? FindPolicies(AppContext.BaseDirectory)
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
