namespace Gateway.Compliance.Destinations;

/// <summary>
/// What one conversion carries to an ad platform, after the mode was decided: in de-identified mode the identifier
/// members are all null and the time is truncated. Written in the platform's shape by
/// <see cref="MetaConversionWriter"/> or <see cref="GoogleAdsConversionWriter"/>.
/// </summary>
public sealed record AdConversion
{
    /// <summary>The mapped event name (Meta) or the conversion action's resource name (Google).</summary>
    public required string Event { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>Deduplication id: Meta's <c>event_id</c>, Google's <c>orderId</c>.</summary>
    public required string EventId { get; init; }

    /// <summary>The page URL as the policy's URL rules left it (scrubbed form), or null.</summary>
    public string? SourceUrl { get; init; }

    public decimal? Value { get; init; }

    public string? Currency { get; init; }

    /// <summary>Meta only: <c>action_source</c>.</summary>
    public string ActionSource { get; init; } = "other";

    /// <summary>Hashed email, normalized for the platform (authorized mode only).</summary>
    public string? HashedEmail { get; init; }

    /// <summary>Hashed phone, normalized for the platform (authorized mode only).</summary>
    public string? HashedPhone { get; init; }

    /// <summary>Meta <c>fbc</c> or Google <c>gclid</c> (authorized mode only).</summary>
    public string? ClickId { get; init; }

    /// <summary>
    /// Meta only, de-identified mode: a random value made for this one event and kept nowhere, sent (hashed) as
    /// <c>external_id</c> because Meta refuses an event without any <c>user_data</c> parameter. It links to no
    /// person and to no other event, so Meta can count the conversion but not match it (docs/destinations.md).
    /// </summary>
    public string? UnlinkableId { get; init; }
}
