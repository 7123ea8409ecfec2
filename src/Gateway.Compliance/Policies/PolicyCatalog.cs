using System.Collections.Frozen;

namespace Gateway.Compliance.Policies;

/// <summary>
/// Every vertical policy under a root folder (one folder per vertical, each with a <c>policy.yaml</c>).
/// Loading fails if any folder fails: the gateway never starts with a partial set.
/// </summary>
public sealed class PolicyCatalog
{
    private readonly FrozenDictionary<string, CompiledPolicy> _policies;

    public PolicyCatalog(IEnumerable<CompiledPolicy> policies)
    {
        _policies = policies.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IEnumerable<CompiledPolicy> All => _policies.Values.OrderBy(p => p.Name, StringComparer.Ordinal);

    public bool TryGet(string vertical, out CompiledPolicy policy) => _policies.TryGetValue(vertical, out policy!);

    /// <summary>The vertical folders under <paramref name="root"/>: subfolders holding a policy file.</summary>
    public static IReadOnlyList<string> FindPolicyFolders(string root) =>
        [.. Directory.EnumerateDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, PolicyLoader.PolicyFileName)))
            .Order(StringComparer.Ordinal)];

    /// <summary>Loads every vertical under <paramref name="root"/>; all errors of all folders, or a catalog.</summary>
    public static (PolicyCatalog? Catalog, IReadOnlyList<(string Folder, PolicyError Error)> Errors) Load(string root, PolicyLoader loader)
    {
        var errors = new List<(string, PolicyError)>();
        if (!Directory.Exists(root))
        {
            errors.Add((root, new PolicyError(new SourceLocation(root, 0, 0), string.Empty, "the policies folder does not exist")));
            return (null, errors);
        }

        var policies = new List<CompiledPolicy>();
        var folders = FindPolicyFolders(root);
        if (folders.Count == 0)
        {
            errors.Add((root, new PolicyError(new SourceLocation(root, 0, 0), string.Empty, "no policy folders (subfolders with a policy.yaml) were found")));
        }

        foreach (var folder in folders)
        {
            var result = loader.Load(folder);
            if (result.Policy is not null)
            {
                policies.Add(result.Policy);
            }

            errors.AddRange(result.Errors.Select(e => (Path.GetFileName(folder), e)));
        }

        return errors.Count > 0 ? (null, errors) : (new PolicyCatalog(policies), errors);
    }
}
