using System.Collections.Frozen;
using Gateway.Server.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Gateway.Server.Forwarding;

/// <summary>
/// Forwards through YARP: the cluster, its destinations, their health and the load-balancing policy all
/// come from the standard <c>ReverseProxy</c> configuration; the request goes out through the cluster's
/// own HTTP client with <see cref="IHttpForwarder"/>. Only the gateway-built body and the bearer token
/// are sent: no header of the client's request ever reaches a destination.
/// </summary>
internal sealed partial class YarpDestinationForwarder : IDestinationForwarder
{
    /// <summary>The scoring service's ingest path (docs/forwarded-events.md).</summary>
    public const string IngestPath = "/ingest/v1/batch";

    private readonly IHttpForwarder _forwarder;
    private readonly IProxyStateLookup _proxyState;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _loadBalancers;
    private readonly string _authorization;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly ILogger<YarpDestinationForwarder> _logger;

    public YarpDestinationForwarder(
        IHttpForwarder forwarder,
        IProxyStateLookup proxyState,
        IEnumerable<ILoadBalancingPolicy> loadBalancers,
        IOptions<GatewayOptions> options,
        IHostEnvironment environment,
        ILogger<YarpDestinationForwarder> logger)
    {
        _forwarder = forwarder;
        _proxyState = proxyState;
        _loadBalancers = loadBalancers.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var forwarding = options.Value.Forwarding;
        _authorization = "Bearer " + SecretReader.Read(forwarding.Token, forwarding.TokenFile, environment.ContentRootPath);
        _requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(forwarding.TimeoutSeconds) };
        _logger = logger;
    }

    public async Task<ForwardResult> SendAsync(string cluster, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!_proxyState.TryGetCluster(cluster, out var clusterState) || clusterState.Model.HttpClient is null)
        {
            Log.ClusterMissing(_logger, cluster);
            return new ForwardResult(ForwardOutcome.Retryable, null, "cluster-not-configured");
        }

        var available = clusterState.DestinationsState.AvailableDestinations;
        if (available.Count == 0)
        {
            Log.NoHealthyDestination(_logger, cluster);
            return new ForwardResult(ForwardOutcome.Retryable, null, "no-healthy-destination");
        }

        var context = new DefaultHttpContext { RequestAborted = cancellationToken };
        var destination = PickDestination(context, clusterState, available);
        var request = context.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Path = IngestPath;
        request.ContentType = "application/json";
        request.ContentLength = body.Length;
        request.Headers.Authorization = _authorization;
        request.Body = new ReadOnlyMemoryStream(body);
        context.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection());
        context.Response.Body = Stream.Null;

        destination.ConcurrentRequestCount++;
        ForwarderError error;
        try
        {
            error = await _forwarder.SendAsync(context, destination.Model.Config.Address, clusterState.Model.HttpClient, _requestConfig, HttpTransformer.Default, cancellationToken);
        }
        finally
        {
            destination.ConcurrentRequestCount--;
        }

        var status = context.Response.StatusCode;
        if (error != ForwarderError.None)
        {
            Log.ForwardFailed(_logger, cluster, error);
            return new ForwardResult(ForwardOutcome.Retryable, null, error.ToString());
        }

        if (status is >= 200 and < 300)
        {
            return ForwardResult.Delivered200(status);
        }

        Log.DestinationRefused(_logger, cluster, status);
        var retryable = status is 408 or 429 || status >= 500;
        return new ForwardResult(retryable ? ForwardOutcome.Retryable : ForwardOutcome.Rejected, status, "status-" + status);
    }

    private DestinationState PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> available)
    {
        var policyName = cluster.Model.Config.LoadBalancingPolicy ?? LoadBalancingPolicies.PowerOfTwoChoices;
        var picked = _loadBalancers.TryGetValue(policyName, out var policy) ? policy.PickDestination(context, cluster, available) : null;
        return picked ?? available[0];
    }

    private sealed class BodyDetection : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Cluster {Cluster} is not configured in ReverseProxy:Clusters")]
        public static partial void ClusterMissing(ILogger logger, string cluster);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Cluster {Cluster} has no healthy destination")]
        public static partial void NoHealthyDestination(ILogger logger, string cluster);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Forwarding to cluster {Cluster} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string cluster, ForwarderError error);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Cluster {Cluster} answered {Status}")]
        public static partial void DestinationRefused(ILogger logger, string cluster, int status);
    }
}
