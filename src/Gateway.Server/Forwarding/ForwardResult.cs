namespace Gateway.Server.Forwarding;

/// <summary>What happened when a batch was sent to a destination. Values, not exceptions (as YARP's <c>ForwarderError</c>).</summary>
internal readonly record struct ForwardResult(ForwardOutcome Outcome, int? Status, string? Error)
{
    public bool Delivered => Outcome == ForwardOutcome.Delivered;

    /// <summary>The destination's problem details when it refused the batch (title and type only).</summary>
    public DestinationProblem? Problem { get; init; }

    /// <summary>For a delivered batch: the rows the destination refused on their own (Google's partial failure), by
    /// position in the batch, with the platform's error code (never its message, which may quote the row).</summary>
    public IReadOnlyList<(int Index, string Code)> RefusedRows { get; init; } = [];

    /// <summary>How long the destination asked to be left alone (429 <c>Retry-After</c>, Google's <c>retryDelay</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ForwardResult Delivered200(int status) => new(ForwardOutcome.Delivered, status, null);
}

internal enum ForwardOutcome
{
    /// <summary>The destination answered 2xx: it holds the events.</summary>
    Delivered,

    /// <summary>Worth retrying: no healthy destination, a network error, a timeout, 408, 429 or 5xx.</summary>
    Retryable,

    /// <summary>The destination refused the batch for good (4xx other than 408/429): retrying the same bytes will not help.</summary>
    Rejected,
}
