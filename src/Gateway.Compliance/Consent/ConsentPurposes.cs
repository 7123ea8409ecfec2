using System.Text.RegularExpressions;

namespace Gateway.Compliance.Consent;

/// <summary>
/// The purposes consent is recorded for. A cookie banner's "marketing" is not a HIPAA marketing
/// authorization: <see cref="HipaaAuthorization"/> is a separate purpose that only a signed authorization
/// recorded through the admin API can grant.
/// </summary>
public static partial class ConsentPurposes
{
    /// <summary>Measuring and scoring engagement on the practice's own properties.</summary>
    public const string Analytics = "analytics";

    /// <summary>Marketing emails.</summary>
    public const string MarketingEmail = "marketing_email";

    /// <summary>Marketing text messages: TCPA requires prior express written consent.</summary>
    public const string Sms = "sms";

    /// <summary>Sharing with advertising platforms (Meta CAPI, Google enhanced conversions).</summary>
    public const string Advertising = "advertising";

    /// <summary>A signed HIPAA authorization for marketing uses of PHI (45 CFR 164.508(a)(3)).</summary>
    public const string HipaaAuthorization = "hipaa_authorization";

    public static IReadOnlyList<string> Known { get; } = [Analytics, MarketingEmail, Sms, Advertising, HipaaAuthorization];

    /// <summary>Purposes are lower-case names; practices may define their own beyond <see cref="Known"/>.</summary>
    public static bool IsValidName(string purpose) => Name().IsMatch(purpose);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex Name();
}
