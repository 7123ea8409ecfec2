namespace Gateway.LeakBench;

/// <summary>The Safe Harbor identifier kinds (45 CFR 164.514(b)(2)) that appear in tracking events.</summary>
public enum IdentifierKind
{
    Name,
    Email,
    Phone,
    Ssn,
    Date,
    StreetAddress,
    City,
    Zip,
    RecordNumber,
    Url,
    Ip,
    DeviceId,
    VehicleId,
    CardNumber,
}

/// <summary>Where in an event an identifier is planted.</summary>
public enum FieldKind
{
    /// <summary>A free-text field (notes, an SMS reply).</summary>
    FreeText,

    /// <summary>UTM campaign fields (<c>context.campaign.*</c>).</summary>
    Campaign,

    /// <summary>A path segment of a URL field.</summary>
    UrlPath,

    /// <summary>The host of a URL field (a personal subdomain, an IP literal).</summary>
    UrlHost,

    /// <summary>The query string, fragment, user info or matrix parameters of a URL field.</summary>
    UrlQuery,

    /// <summary>A field the policy keeps and classes as de-identified.</summary>
    Kept,

    /// <summary>A field the policy generalizes (ZIP3, bands) or derives a feature from.</summary>
    Generalized,

    /// <summary>The name of a property rather than its value.</summary>
    Key,

    /// <summary>The ids (<c>userId</c>, <c>anonymousId</c>, <c>messageId</c>, <c>previousId</c> and other pseudonymized fields).</summary>
    Id,

    /// <summary>A field the policy does not name.</summary>
    Unknown,
}
