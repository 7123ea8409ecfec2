namespace Gateway.Server.Configuration;

/// <summary>
/// Connection limits the gateway sets on Kestrel (section <c>Gateway:Connections</c>), tighter than Kestrel's
/// defaults where Segment SDK traffic needs far less, so a hostile or broken client costs little. Requests
/// over a header limit get Kestrel's own 431/414 (no body); clients slower than the minimum data rates are
/// disconnected.
/// </summary>
public sealed record ConnectionOptions
{
    public const int DefaultMaxRequestHeadersTotalBytes = 16 * 1024;
    public const int DefaultMaxRequestLineBytes = 4 * 1024;
    public const int DefaultMaxRequestHeaderCount = 64;
    public const int DefaultRequestHeadersTimeoutSeconds = 15;
    public const int DefaultKeepAliveTimeoutSeconds = 130;
    public const int DefaultMinRequestBodyBytesPerSecond = 1024;
    public const int DefaultMinResponseBytesPerSecond = 240;
    public const int DefaultMinDataRateGraceSeconds = 5;
    public const int DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>All request headers together (Kestrel: 32 KB). SDKs send a few hundred bytes.</summary>
    public int MaxRequestHeadersTotalBytes { get; init; } = DefaultMaxRequestHeadersTotalBytes;

    /// <summary>The request line: method, path and query (Kestrel: 8 KB). Ingest paths are <c>/v1/batch</c>.</summary>
    public int MaxRequestLineBytes { get; init; } = DefaultMaxRequestLineBytes;

    /// <summary>Number of request headers (Kestrel: 100).</summary>
    public int MaxRequestHeaderCount { get; init; } = DefaultMaxRequestHeaderCount;

    /// <summary>Time a client has to send all its headers (Kestrel: 30 s); stops slowloris clients.</summary>
    public int RequestHeadersTimeoutSeconds { get; init; } = DefaultRequestHeadersTimeoutSeconds;

    /// <summary>Idle time before a kept-alive connection is closed. Kestrel's 130 s, kept above the 60 s idle timeout
    /// of common load balancers so the balancer, not the gateway, closes idle connections.</summary>
    public int KeepAliveTimeoutSeconds { get; init; } = DefaultKeepAliveTimeoutSeconds;

    /// <summary>Average upload rate a request body must keep after the grace period (Kestrel: 240 B/s).</summary>
    public int MinRequestBodyBytesPerSecond { get; init; } = DefaultMinRequestBodyBytesPerSecond;

    /// <summary>Average rate a client must read the response at (Kestrel's default).</summary>
    public int MinResponseBytesPerSecond { get; init; } = DefaultMinResponseBytesPerSecond;

    /// <summary>Grace period before the minimum data rates apply (more than 1 s, Kestrel's heartbeat).</summary>
    public int MinDataRateGraceSeconds { get; init; } = DefaultMinDataRateGraceSeconds;

    /// <summary>Backstop on any request body as sent (compressed or not), above <see cref="IngestLimitsOptions.MaxBatchBytes"/>;
    /// the ingest limits themselves are checked by the gateway with a 413 problem.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>Open connections at once; null (default) leaves it unlimited. Set it where the host's capacity is known.</summary>
    public long? MaxConcurrentConnections { get; init; }
}

/// <summary>
/// Rate limits (section <c>Gateway:RateLimit</c>): a token bucket per write key (by its SHA-256), so one practice
/// cannot starve the others, and a stricter one per admin key. Requests whose key is missing, unknown or only in the
/// body are limited per client IP address. Rejected requests get 429 with <c>Retry-After</c>. Health endpoints are never limited.
/// </summary>
public sealed record RateLimitOptions
{
    public const int DefaultRequestsPerSecond = 100;
    public const int DefaultBurst = 200;
    public const int DefaultAdminRequestsPerSecond = 5;
    public const int DefaultAdminBurst = 30;

    public bool Enabled { get; init; } = true;

    /// <summary>Ingest requests per second per write key (or per IP address), sustained. Each request can carry a whole batch.</summary>
    public int RequestsPerSecond { get; init; } = DefaultRequestsPerSecond;

    /// <summary>Ingest requests a write key may send at once before the sustained rate applies.</summary>
    public int Burst { get; init; } = DefaultBurst;

    /// <summary>Admin requests per second per admin key (or per IP address for missing and unknown keys).</summary>
    public int AdminRequestsPerSecond { get; init; } = DefaultAdminRequestsPerSecond;

    public int AdminBurst { get; init; } = DefaultAdminBurst;
}

/// <summary>Checks <see cref="ConnectionOptions"/> and <see cref="RateLimitOptions"/>; part of <see cref="GatewayOptionsValidator"/>.</summary>
internal static class TrafficOptionsValidation
{
    public static void Validate(GatewayOptions options, ICollection<string> errors)
    {
        var c = options.Connections;
        const string At = "Gateway:Connections";
        Range(errors, $"{At}:MaxRequestHeadersTotalBytes", c.MaxRequestHeadersTotalBytes, 4096, 1024 * 1024);
        Range(errors, $"{At}:MaxRequestLineBytes", c.MaxRequestLineBytes, 1024, 64 * 1024);
        Range(errors, $"{At}:MaxRequestHeaderCount", c.MaxRequestHeaderCount, 16, 1000);
        Range(errors, $"{At}:RequestHeadersTimeoutSeconds", c.RequestHeadersTimeoutSeconds, 2, 300);
        Range(errors, $"{At}:KeepAliveTimeoutSeconds", c.KeepAliveTimeoutSeconds, 2, 3600);
        Range(errors, $"{At}:MinRequestBodyBytesPerSecond", c.MinRequestBodyBytesPerSecond, 1, 1024 * 1024);
        Range(errors, $"{At}:MinResponseBytesPerSecond", c.MinResponseBytesPerSecond, 1, 1024 * 1024);
        Range(errors, $"{At}:MinDataRateGraceSeconds", c.MinDataRateGraceSeconds, 2, 300);
        if (c.MaxRequestBodyBytes <= options.Limits.MaxBatchBytes || c.MaxRequestBodyBytes > 64L * 1024 * 1024)
        {
            errors.Add($"{At}:MaxRequestBodyBytes must be above Gateway:Limits:MaxBatchBytes ({options.Limits.MaxBatchBytes}) and at most 67108864.");
        }

        if (c.MaxConcurrentConnections is < 1)
        {
            errors.Add($"{At}:MaxConcurrentConnections must be at least 1, or unset for no limit.");
        }

        var r = options.RateLimit;
        Range(errors, "Gateway:RateLimit:RequestsPerSecond", r.RequestsPerSecond, 1, 1_000_000);
        Range(errors, "Gateway:RateLimit:AdminRequestsPerSecond", r.AdminRequestsPerSecond, 1, 1_000_000);
        if (r.Burst < r.RequestsPerSecond || r.Burst > 1_000_000)
        {
            errors.Add("Gateway:RateLimit:Burst must be at least RequestsPerSecond and at most 1000000.");
        }

        if (r.AdminBurst < r.AdminRequestsPerSecond || r.AdminBurst > 1_000_000)
        {
            errors.Add("Gateway:RateLimit:AdminBurst must be at least AdminRequestsPerSecond and at most 1000000.");
        }
    }

    private static void Range(ICollection<string> errors, string name, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} must be between {min} and {max}.");
        }
    }
}
