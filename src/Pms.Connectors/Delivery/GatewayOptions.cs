namespace Pms.Connectors.Delivery;

/// <summary>Where and how connectors deliver events: the gateway's ingest URL and the practice's write key.</summary>
public sealed record GatewayOptions
{
    /// <summary>Events per batch request (Segment's batch limit is 500 KB; PMS events are well under 1 KB each).</summary>
    public const int DefaultBatchSize = 100;

    /// <summary>Attempts per batch on 429, 5xx and network errors before the run stops (resumable: nothing is lost).</summary>
    public const int DefaultMaxAttempts = 6;

    /// <summary>The gateway's ingest base URL (<c>http://127.0.0.1:5080</c>); events go to <c>/v1/batch</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The practice's write key (read from a secret file, never from the command line).</summary>
    public required string WriteKey { get; init; }

    /// <summary>
    /// Consent categories (the policy's <c>consent.categoryPreferences</c> names, e.g. <c>Analytics</c>) the practice
    /// recorded for its patients' PMS data; sent on every event. Empty (the default): none, so the gateway forwards
    /// only for people whose consent is in its ledger, and drops the rest (fail closed).
    /// </summary>
    public IReadOnlyList<string> ConsentCategories { get; init; } = [];

    public int BatchSize { get; init; } = DefaultBatchSize;

    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>First retry delay; doubles per attempt unless the gateway's <c>Retry-After</c> says otherwise.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Refuses unusable settings with every problem at once.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https"))
        {
            problems.Add("the gateway endpoint must be an absolute http(s) URL");
        }
        else if (Endpoint.Scheme == "http" && !Endpoint.IsLoopback)
        {
            problems.Add("the gateway endpoint must use https unless it is on loopback (events hold PHI)");
        }

        if (string.IsNullOrWhiteSpace(WriteKey))
        {
            problems.Add("the write key file is empty");
        }

        if (BatchSize is < 1 or > 500)
        {
            problems.Add("the batch size must be 1-500");
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
