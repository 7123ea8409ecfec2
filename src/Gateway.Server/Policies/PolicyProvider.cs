using Gateway.Compliance.Policies.Definitions;
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
    private readonly GatewayOptions _options;
    private readonly IConfiguration _configuration;
    private readonly PolicyLoader _loader;
    private volatile PolicyCatalog _current;
    private volatile ReloadStatus _lastReload = new(true, null, 0);

    public PolicyProvider(IOptions<GatewayOptions> options, IConfiguration configuration, PolicyLoader loader)
    {
        _options = options.Value;
        _configuration = configuration;
        _loader = loader;
        var root = Path.GetFullPath(Path.Combine(ServiceHost.WorkingDirectory, options.Value.PoliciesPath));
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

    /// <summary>The outcome of the last reload attempt (a failed one keeps the previous policies in use).</summary>
    public ReloadStatus LastReload => _lastReload;

    public bool TryGetPolicy(PracticeContext practice, out CompiledPolicy policy) => _current.TryGet(practice.Vertical, out policy);

    /// <summary>
    /// Loads the policies again. All or nothing: on any error the current policies stay in use and the
    /// errors are returned; the gateway never serves a partial set.
    /// </summary>
    public (bool Reloaded, IReadOnlyList<string> Errors) Reload()
    {
        var (catalog, errors) = PolicyCatalog.Load(RootPath, _loader);
        var problems = errors.Select(e => $"{e.Folder}/{e.Error}").ToList();
        if (catalog is not null)
        {
            problems.AddRange(CheckReferences(catalog, _options, _configuration));
        }

        if (problems.Count > 0)
        {
            _lastReload = new ReloadStatus(false, problems.Count == 1 ? problems[0] : $"{problems.Count} problems, first: {problems[0]}", problems.Count);
            return (false, problems);
        }

        _current = catalog!;
        _lastReload = new ReloadStatus(true, null, 0);
        return (true, []);
    }

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
            foreach (var destination in policy.Destinations.Where(d => d.Enabled))
            {
                if (!clusters.GetSection(destination.Cluster).Exists())
                {
                    yield return $"{policy.Name}: destination '{destination.Name}' needs cluster '{destination.Cluster}' in ReverseProxy:Clusters";
                }
            }
        }

        foreach (var problem in TransportSafety.Check(configuration, options.Forwarding.AllowInsecureDestinations))
        {
            yield return problem;
        }

        if (configuration.GetSection("ReverseProxy:Routes").GetChildren().Any())
        {
            yield return "ReverseProxy:Routes must be empty: a route would pass client requests through unscrubbed (the gateway forwards only through its own pipeline)";
        }
    }
}

/// <summary>Whether the last policy reload succeeded; when it failed, the first problem and how many there were.</summary>
internal sealed record ReloadStatus(bool Succeeded, string? FirstProblem, int ProblemCount);
