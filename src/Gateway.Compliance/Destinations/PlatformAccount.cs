namespace Gateway.Compliance.Destinations;

/// <summary>
/// A practice's account at an ad platform, as the engine needs it: the ids that go into the request. Never holds an
/// access token (the host reads those from secret files when it sends).
/// </summary>
public sealed record PlatformAccount
{
    /// <summary>Meta: the pixel (dataset) id events are sent to.</summary>
    public string? PixelId { get; init; }

    /// <summary>Meta: <c>test_event_code</c>, so events show in Events Manager's Test Events tab and are not counted.</summary>
    public string? TestEventCode { get; init; }

    /// <summary>Google: the customer id (digits) conversions are uploaded to.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Google: the policy's conversion action keys to this account's resource names
    /// (<c>customers/{customerId}/conversionActions/{id}</c>).</summary>
    public IReadOnlyDictionary<string, string> ConversionActions { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
