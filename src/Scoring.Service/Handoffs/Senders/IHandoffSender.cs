namespace Scoring.Service.Handoffs.Senders;

/// <summary>Delivers a hand-off to one kind of destination, in that destination's documented format.</summary>
internal interface IHandoffSender
{
    /// <summary>The destination kind (<see cref="HandoffDestinationKinds"/>) this sender delivers to.</summary>
    string Kind { get; }

    Task<DeliveryResult> SendAsync(HandoffDestination destination, HandoffPayload payload, string json, CancellationToken cancellationToken);
}

/// <summary>
/// The outcome of one delivery attempt, as a value (failures are normal operation): delivered, or failed and worth
/// retrying (network, timeout, 408, 429, 5xx), or failed for good (any other 4xx). <see cref="Status"/> names the
/// status code or error type, never a body (a destination may echo what it was sent).
/// </summary>
internal sealed record DeliveryResult(bool Delivered, bool Retry, string Status)
{
    public static DeliveryResult Ok(string status) => new(true, false, status);

    public static DeliveryResult Failed(string status, bool retry) => new(false, retry, status);
}
