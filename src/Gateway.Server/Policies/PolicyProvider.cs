using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Policies;

/// <summary>
/// Holds the compiled policies. Built at start from <c>Gateway:PoliciesPath</c>; any error in any folder,
/// a practice naming a missing vertical, or a destination naming a missing YARP cluster stops the gateway
/// from starting, with every problem listed.
/// </summary>
internal sealed class PolicyProvider
{
    private volatile PolicyCatalog _current;

    public PolicyProvider(IOptions<GatewayOptions> options, IHostEnvironment environment, IConfiguration configuration, PolicyLoader loader)
    {
        var root = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.PoliciesPath));
        RootPath = root;
        var (catalog, errors) = PolicyCatalog.Load(root, loader);
        var problems = errors.Select(e => $"{e.Folder}/{e.Error}").ToList();
        if (catalog is not null)
        {
            problems.AddRange(CheckReferences(catalog, options.Value, configuration));
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The gateway cannot start: {problems.Count} problem(s) with its policies:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }

        _current = catalog!;
    }

    public string RootPath { get; }

    public PolicyCatalog Current => _current;

    public bool TryGetPolicy(PracticeContext practice, out CompiledPolicy policy) => _current.TryGet(practice.Vertical, out policy);

    internal static IEnumerable<string> CheckReferences(PolicyCatalog catalog, GatewayOptions options, IConfiguration configuration)
    {
        foreach (var practice in options.Practices)
        {
            if (!catalog.TryGet(practice.Vertical, out _))
            {
                yield return $"practice '{practice.Id}' names vertical '{practice.Vertical}', which has no policy folder";
            }
        }

        var clusters = configuration.GetSection("ReverseProxy:Clusters");
        foreach (var policy in catalog.All)
        {
            foreach (var destination in policy.Destinations)
            {
                if (!clusters.GetSection(destination.Cluster).Exists())
                {
                    yield return $"{policy.Name}: destination '{destination.Name}' needs cluster '{destination.Cluster}' in ReverseProxy:Clusters";
                }
            }
        }

        if (configuration.GetSection("ReverseProxy:Routes").GetChildren().Any())
        {
            yield return "ReverseProxy:Routes must be empty: a route would pass client requests through unscrubbed (the gateway forwards only through its own pipeline)";
        }
    }
}
