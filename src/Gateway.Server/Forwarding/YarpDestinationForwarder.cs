using System.Collections.Frozen;
using System.Diagnostics;
using Gateway.Server.Hosting;
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

    /// <summary>Where a destination lists the verticals it can score (docs/forwarded-events.md).</summary>
    public const string VerticalsPath = "/ingest/v1/verticals";

    private readonly IHttpForwarder _forwarder;
    private readonly IProxyStateLookup _proxyState;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _loadBalancers;
    private readonly string _authorization;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly ILogger<YarpDestinationForwarder> _logger;
    private readonly GatewayMetrics _metrics;

    public YarpDestinationForwarder(
        IHttpForwarder forwarder,
        IProxyStateLookup proxyState,
        IEnumerable<ILoadBalancingPolicy> loadBalancers,
        IOptions<GatewayOptions> options,
        GatewayMetrics metrics,
        ILogger<YarpDestinationForwarder> logger)
    {
        _metrics = metrics;
        _forwarder = forwarder;
        _proxyState = proxyState;
        _loadBalancers = loadBalancers.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var forwarding = options.Value.Forwarding;
        _authorization = "Bearer " + SecretReader.Read(forwarding.Token, forwarding.TokenFile, ServiceHost.WorkingDirectory);
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
        using var answer = new DestinationAnswer();
        context.Response.Body = answer;

        destination.ConcurrentRequestCount++;
        ForwarderError error;
        var started = Stopwatch.GetTimestamp();
        try
        {
            error = await _forwarder.SendAsync(context, destination.Model.Config.Address, clusterState.Model.HttpClient, _requestConfig, HttpTransformer.Default, cancellationToken);
        }
        finally
        {
            destination.ConcurrentRequestCount--;
        }

        var result = Result(cluster, error, context.Response.StatusCode, answer, context.Response.ContentType);
        _metrics.Forwarded(cluster, result.Outcome.ToString(), Stopwatch.GetElapsedTime(started));
        return result;
    }

    public async Task<IReadOnlyList<(string Destination, IReadOnlySet<string>? Verticals)>> ScorableVerticalsAsync(string cluster, CancellationToken cancellationToken)
    {
        if (!_proxyState.TryGetCluster(cluster, out var clusterState) || clusterState.Model.HttpClient is not { } client)
        {
            return [];
        }

        var answers = new List<(string, IReadOnlySet<string>?)>();
        foreach (var destination in clusterState.Destinations.Values)
        {
            answers.Add((destination.DestinationId, await VerticalsOfAsync(client, destination.Model.Config.Address, cancellationToken)));
        }

        return answers;
    }

    private async Task<IReadOnlySet<string>?> VerticalsOfAsync(HttpMessageInvoker client, string address, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), VerticalsPath));
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var answer = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
            return answer.RootElement.TryGetProperty("verticals", out var verticals) && verticals.ValueKind == System.Text.Json.JsonValueKind.Array
                ? verticals.EnumerateArray().Select(v => v.TryGetProperty("name", out var name) ? name.GetString() : null).OfType<string>().ToHashSet(StringComparer.Ordinal)
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private ForwardResult Result(string cluster, ForwarderError error, int status, DestinationAnswer answer, string? contentType)
    {
        if (error != ForwarderError.None)
        {
            Log.ForwardFailed(_logger, cluster, error);
            return new ForwardResult(ForwardOutcome.Retryable, null, error.ToString());
        }

        if (status is >= 200 and < 300)
        {
            return ForwardResult.Delivered200(status);
        }

        // The destination's own words (problem title and type, never its detail or errors, which could quote data).
        var problem = DestinationProblem.Read(answer.Captured, contentType);
        Log.DestinationRefused(_logger, cluster, status, problem?.Title ?? "(no problem details)", problem?.Type ?? "(none)");
        var retryable = status is 408 or 429 || status >= 500;
        return new ForwardResult(retryable ? ForwardOutcome.Retryable : ForwardOutcome.Rejected, status, "status-" + status) { Problem = problem };
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

        [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Cluster {Cluster} answered {Status}: {ProblemTitle} ({ProblemType})")]
        public static partial void DestinationRefused(ILogger logger, string cluster, int status, string problemTitle, string problemType);
    }
}
