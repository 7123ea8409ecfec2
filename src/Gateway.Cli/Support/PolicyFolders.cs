using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Analysis;
using Scoring.Engine.Configuration;

namespace Gateway.Cli.Support;

/// <summary>Resolves a policy argument: one vertical's folder (with a policy.yaml) or a folder of them.</summary>
internal static class PolicyFolders
{
    public static IReadOnlyList<string> Resolve(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new UsageException($"The policy folder '{path}' does not exist.");
        }

        if (File.Exists(Path.Combine(path, PolicyLoader.PolicyFileName)))
        {
            return [Path.GetFullPath(path)];
        }

        var folders = PolicyCatalog.FindPolicyFolders(path);
        return folders.Count > 0
            ? folders
            : throw new UsageException($"'{path}' holds no {PolicyLoader.PolicyFileName}, and no subfolder does.");
    }

    /// <summary>
    /// Loads one folder as the gateway would; also reads every fixture, reporting those that cannot be read. The scoring
    /// side is checked by <see cref="ScoringFiles"/>.
    /// </summary>
    public static (CompiledPolicy? Policy, IReadOnlyList<string> Errors) Load(string folder)
    {
        var errors = new List<string>();
        var name = Path.GetFileName(folder);
        var result = new PolicyLoader().Load(folder);
        errors.AddRange(result.Errors.Select(e => $"{name}/{e}"));
        var fixtures = Path.Combine(folder, "fixtures");
        if (Directory.Exists(fixtures))
        {
            foreach (var file in Directory.EnumerateFiles(fixtures, "*.fixture.json").Order(StringComparer.Ordinal))
            {
                try
                {
                    PolicyFixture.Load(file);
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    var reason = ex is System.Text.Json.JsonException json
                        ? $"not valid JSON (line {json.LineNumber + 1})"
                        : "needs 'input' and 'expect' with 'disposition' (see templates/policy/README.md)";
                    errors.Add($"{name}/fixtures/{Path.GetFileName(file)}: {reason}");
                }
            }
        }

        return (errors.Count == 0 ? result.Policy : null, errors);
    }
}
