using Pms.Connectors.Events;

namespace Pms.Connectors.OpenDental;

/// <summary>
/// How to reach one office's Open Dental API (docs/pms.md#open-dental): the documented cloud endpoint or a local API
/// service, the developer and customer keys (read from secret files), paging, rate limit and retries, and how its
/// clinics map to the practice's location ids.
/// </summary>
public sealed record OpenDentalOptions
{
    /// <summary>Open Dental's documented remote API endpoint.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.opendental.com/api/v1/");

    /// <summary>The documented hard limit of items per list request on the remote API (the local API allows 1000).</summary>
    public const int DefaultPageSize = 100;

    public Uri BaseUrl { get; init; } = DefaultBaseUrl;

    public required string DeveloperKey { get; init; }

    public required string CustomerKey { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>At least this long between two requests (the connector's own rate limit; default 5 per second).</summary>
    public TimeSpan MinRequestInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Attempts per request on 429, 5xx and network errors.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>First retry delay; doubles per attempt unless <c>Retry-After</c> asks for longer.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The office's time zone: Open Dental's DateTStamp and appointment times are the server's local time.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>ClinicNum → the practice's location id (a value of the policy's <c>location</c> set); others send none.</summary>
    public IReadOnlyDictionary<string, string> Clinics { get; init; } = new Dictionary<string, string>();

    public PatientIdentity Identity { get; init; } = PatientIdentity.Email;

    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DeveloperKey) || string.IsNullOrWhiteSpace(CustomerKey))
        {
            problems.Add("the Open Dental developer and customer key files must not be empty");
        }
        else if (DeveloperKey.Contains('/', StringComparison.Ordinal) || DeveloperKey.Any(char.IsWhiteSpace) || CustomerKey.Any(char.IsWhiteSpace))
        {
            problems.Add("the Open Dental keys must be one word each (no '/' in the developer key, no spaces)");
        }

        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != "https" && !BaseUrl.IsLoopback))
        {
            problems.Add("the Open Dental URL must be https (or http on loopback, for a local API service)");
        }

        if (PageSize is < 1 or > 1000)
        {
            problems.Add("the page size must be 1-1000");
        }

        if (MaxAttempts is < 1 or > 20)
        {
            problems.Add("max attempts must be 1-20");
        }

        if (problems.Count > 0)
        {
            throw new ConnectorConfigurationException(problems);
        }
    }
}
