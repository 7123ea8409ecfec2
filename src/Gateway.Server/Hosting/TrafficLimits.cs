using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Gateway.Server.Admin;
using Gateway.Server.Configuration;
using Gateway.Server.Ingest;
using Gateway.Server.Practices;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Hosting;

/// <summary>
/// What a hostile or runaway client can cost the gateway: Kestrel's connection limits (<see cref="ConnectionOptions"/>)
/// and per-key rate limits (<see cref="RateLimitOptions"/>). Rate-limit partitions are SHA-256 hashes of keys the
/// gateway knows (write keys on <c>/v1</c>, admin keys on <c>/admin</c>); a missing or unknown key is limited by the
/// client's IP address, so inventing keys does not buy new buckets. Raw keys are never kept or logged.
/// </summary>
internal static class TrafficLimits
{
    public const string RateLimitedMetric = "gateway.rate_limited";

    public static IServiceCollection AddTrafficLimits(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
        {
            var c = gateway.Value.Connections;
            var limits = kestrel.Limits;
            var grace = TimeSpan.FromSeconds(c.MinDataRateGraceSeconds);
            limits.MaxRequestHeadersTotalSize = c.MaxRequestHeadersTotalBytes;
            limits.MaxRequestLineSize = c.MaxRequestLineBytes;
            limits.MaxRequestHeaderCount = c.MaxRequestHeaderCount;
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(c.RequestHeadersTimeoutSeconds);
            limits.KeepAliveTimeout = TimeSpan.FromSeconds(c.KeepAliveTimeoutSeconds);
            limits.MinRequestBodyDataRate = new MinDataRate(c.MinRequestBodyBytesPerSecond, grace);
            limits.MinResponseDataRate = new MinDataRate(c.MinResponseBytesPerSecond, grace);
            limits.MaxRequestBodySize = c.MaxRequestBodyBytes;
            limits.MaxConcurrentConnections = c.MaxConcurrentConnections;
            limits.MaxConcurrentUpgradedConnections = 0;
        });

        services.AddSingleton<RateLimitMetrics>();
        services.AddRateLimiter(limiter =>
        {
            // One limiter for the whole app, partitioned by surface and key; health and anything else is never limited.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            limiter.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var path = http.Request.Path;
        var ingest = path.StartsWithSegments("/v1");
        if (!ingest && !path.StartsWithSegments("/admin"))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var options = http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.RateLimit;
        if (!options.Enabled)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var (perSecond, burst) = ingest ? (options.RequestsPerSecond, options.Burst) : (options.AdminRequestsPerSecond, options.AdminBurst);
        var hash = ingest ? KnownWriteKeyHash(http) : KnownAdminKeyHash(http);
        var key = (ingest ? "ingest:" : "admin:")
            + (hash is not null ? "key:" + hash : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The SHA-256 of the HTTP Basic write key, when it belongs to a configured practice.</summary>
    private static string? KnownWriteKeyHash(HttpContext http)
    {
        var key = WriteKeyReader.FromHeader(http.Request);
        return key is not null && http.RequestServices.GetRequiredService<PracticeDirectory>().TryAuthenticate(key, out _) ? Sha256(key) : null;
    }

    /// <summary>The SHA-256 of the bearer admin key, when it is a configured admin key.</summary>
    private static string? KnownAdminKeyHash(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        return http.RequestServices.GetRequiredService<AdminKeyDirectory>().TryAuthenticate(key, out _) ? Sha256(key) : null;
    }

    private static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var surface = http.Request.Path.StartsWithSegments("/admin") ? "admin" : "ingest";
        http.RequestServices.GetRequiredService<RateLimitMetrics>().Rejected(surface);

        // Segment SDKs retry a 429 after Retry-After; nothing of the request was read, audited or forwarded.
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await IngestResponses.FailureAsync(http.Response, new IngestFailure(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
            $"This key or address sent more requests than its limit allows; nothing was accepted. Retry after {seconds} second(s)."));
    }

    /// <summary>Counts rate-limited requests by surface (meter <c>Gateway</c>).</summary>
    internal sealed class RateLimitMetrics(IMeterFactory meterFactory)
    {
        private readonly Counter<long> _rejected = meterFactory.Create(GatewayMetrics.MeterName)
            .CreateCounter<long>(RateLimitedMetric, description: "Requests refused with 429 by surface (ingest, admin).");

        public void Rejected(string surface) => _rejected.Add(1, new KeyValuePair<string, object?>("surface", surface));
    }
}
