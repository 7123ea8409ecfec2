using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Destinations;

/// <summary>
/// Decides what one event becomes at one ad platform, and builds it (docs/destinations.md). Neither Meta nor Google
/// signs a BAA for advertising, so the default form is de-identified: the policy's neutral event name, the time
/// truncated as the policy says, the value, the page URL as the URL allow-list left it, and no identifier of any kind.
/// Hashed contact and click ids are added only in <c>authorized</c> mode and only for a subject whose consent ledger
/// holds both <c>advertising</c> and <c>hipaa_authorization</c> in force. Every input is a snapshot: the same event,
/// policy, consent and account give the same decision.
/// </summary>
public static class AdConversionPlanner
{
    public const string AccountMissing = "platform-account-missing";
    public const string EventNotMapped = "event-not-mapped";
    public const string EventTooOld = "event-too-old";
    public const string IdentifierRequired = "identifier-required";

    public const string Deidentified = "deidentified";

    /// <summary>Kept in hand under Meta's seven-day limit for the time a conversion may wait in the outbox.</summary>
    public static readonly TimeSpan QueueMargin = TimeSpan.FromDays(1);
    public const string Authorized = "authorized";

    /// <summary>Where a page URL may be found in the scrubbed event (already through the policy's URL rules).</summary>
    private static readonly string[] s_urlPaths = ["context.page.url", "properties.url"];

    /// <summary>Where click ids may be found in the raw event's URLs (authorized mode only).</summary>
    private static readonly string[] s_rawUrlPaths = ["context.page.url", "context.page.search", "properties.url", "properties.search"];

    public static (DestinationDecision Decision, byte[]? Row) Plan(
        DestinationDefinition destination, EventResult result, JsonElement raw, ReadOnlySpan<byte> scrubbed, ConsentState consent, PlatformAccount? account, DateTimeOffset now)
    {
        var ads = destination.Ads ?? throw new ArgumentException($"Destination '{destination.Name}' is not an ad platform.", nameof(destination));
        DestinationDecision Dropped(string reason, IReadOnlyList<long>? basis = null, IReadOnlyList<string>? missing = null) => new()
        {
            Destination = destination.Name,
            Outcome = DestinationDecision.Dropped,
            Reason = reason,
            ConsentRecordIds = basis ?? [],
            MissingPurposes = missing ?? [],
        };

        if (result.EventType?.EventName is not { } eventName || !ads.Events.TryGetValue(eventName, out var mapped))
        {
            return (Dropped(EventNotMapped), null);
        }

        var platformEvent = destination.Kind == DestinationKind.GoogleAdsConversions
            ? account?.ConversionActions.GetValueOrDefault(mapped)
            : account?.PixelId is null ? null : mapped;
        if (platformEvent is null)
        {
            return (Dropped(AccountMissing), null);
        }

        var (missing, basis) = consent.Check(result.EventType.PurposesFor(destination), now);
        if (missing.Count > 0)
        {
            return (Dropped(DestinationPlanner.ConsentMissing, basis, missing), null);
        }

        // The mode is decided once, from the ledger and from what the event holds: a subject authorized but without any
        // identifier in the event gets the de-identified form whole (truncated time, gateway event id, unlinkable id).
        var eventTime = EventTime(raw, now);
        var identifiers = ads.Mode == AdMode.Authorized && consent.Check([ConsentPurposes.HipaaAuthorization], now) is { Missing.Count: 0 } authorization
            ? (Found: Identifiers(destination.Kind, ads, raw, eventTime), authorization.Basis)
            : default;
        var authorized = identifiers.Found is { Any: true };
        if (authorized)
        {
            basis = [.. basis, .. identifiers.Basis];
        }

        var time = authorized ? eventTime : Truncate(eventTime, ads.EventTime);

        // Meta refuses a whole request holding an event older than seven days; a day is kept in hand for the queue.
        if (destination.Kind == DestinationKind.MetaCapi && now - time > MetaConversionWriter.MaxAge - QueueMargin)
        {
            return (Dropped(EventTooOld, basis), null);
        }

        if (destination.Kind == DestinationKind.GoogleAdsConversions && !authorized)
        {
            // Google takes a click conversion only with a click id or a user identifier: a de-identified one cannot go.
            return (Dropped(IdentifierRequired, basis), null);
        }

        var scrubbedReader = new Utf8JsonReader(scrubbed);
        using var scrubbedEvent = JsonDocument.ParseValue(ref scrubbedReader);
        var url = s_urlPaths.Select(p => RawEventReader.String(scrubbedEvent.RootElement, p)).FirstOrDefault(IsWebUrl);
        var conversion = new AdConversion
        {
            Event = platformEvent,
            Time = time,
            EventId = authorized && RawEventReader.String(raw, "messageId") is { Length: > 0 and <= 128 } clientId ? clientId : EventIdOf(destination.Name, result.MessageId!),

            // Without an authorization only the site goes: an allow-listed path can still name a service ("/services/implants").
            SourceUrl = url is null ? null : authorized ? url : new Uri(url).GetLeftPart(UriPartial.Authority) + "/",
            Value = ads.ValuePath is { } valuePath ? RawEventReader.Number(scrubbedEvent.RootElement, valuePath) : null,
            Currency = ads.Currency,
            ActionSource = ads.ActionSource,
            HashedEmail = identifiers.Found.HashedEmail,
            HashedPhone = identifiers.Found.HashedPhone,
            ClickId = identifiers.Found.ClickId,
            UnlinkableId = destination.Kind == DestinationKind.MetaCapi && !authorized
                ? AdIdentifierHashing.Sha256Hex(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
                : null,
        };

        var row = destination.Kind == DestinationKind.GoogleAdsConversions ? GoogleAdsConversionWriter.Write(conversion) : MetaConversionWriter.Write(conversion);
        return (new DestinationDecision
        {
            Destination = destination.Name,
            Outcome = ads.DryRun ? DestinationDecision.DryRun : DestinationDecision.Forward,
            ConsentRecordIds = basis,
            Deidentified = !authorized,
            Mode = authorized ? Authorized : Deidentified,
        }, row);
    }

    /// <summary>What the event holds for the platform, normalized and hashed its way: the subject's own email and phone
    /// (from the traits paths the policy names) and the click id in the page URL.</summary>
    private static FoundIdentifiers Identifiers(DestinationKind kind, AdDestinationDefinition ads, JsonElement raw, DateTimeOffset time)
    {
        var email = ads.EmailPaths.Select(p => RawEventReader.String(raw, p)).FirstOrDefault(v => v is not null);
        var phone = ads.PhonePaths.Select(p => RawEventReader.String(raw, p)).FirstOrDefault(v => v is not null);
        if (kind == DestinationKind.GoogleAdsConversions)
        {
            return new FoundIdentifiers(
                email is null ? null : AdIdentifierHashing.GoogleEmail(email),
                phone is null ? null : AdIdentifierHashing.GooglePhone(phone),
                RawEventReader.ClickId(raw, "gclid", s_rawUrlPaths));
        }

        var fbclid = RawEventReader.ClickId(raw, "fbclid", s_rawUrlPaths);
        return new FoundIdentifiers(
            email is null ? null : AdIdentifierHashing.MetaEmail(email),
            phone is null ? null : AdIdentifierHashing.MetaPhone(phone),
            fbclid is null ? null : $"fb.1.{time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}.{fbclid}");
    }

    private readonly record struct FoundIdentifiers(string? HashedEmail, string? HashedPhone, string? ClickId)
    {
        public bool Any => HashedEmail is not null || HashedPhone is not null || ClickId is not null;
    }

    /// <summary>The event's own time (<c>timestamp</c>), never later than now; now when absent or unreadable.</summary>
    private static DateTimeOffset EventTime(JsonElement raw, DateTimeOffset now) => TimestampOf(raw) is { } time && time < now ? time : now;

    /// <summary>The event's <c>timestamp</c>, or null when absent or unreadable (previews plan "as of" it).</summary>
    public static DateTimeOffset? TimestampOf(JsonElement raw) =>
        RawEventReader.String(raw, "timestamp") is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    public static DateTimeOffset Truncate(DateTimeOffset time, AdTimeGranularity granularity)
    {
        var utc = time.ToUniversalTime();
        return granularity == AdTimeGranularity.Hour
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>A per-destination digest of the gateway's message id: the platform drops the gateway's own retries,
    /// and it matches neither the id the browser sent (no join with a pixel event) nor what scoring receives.</summary>
    public static string EventIdOf(string destination, string messageId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(destination + "\n" + messageId)))[..32];

    /// <summary>An absolute http(s) URL with a real host: a host the URL rules masked (<c>:host</c>) means the page is not sent.</summary>
    private static bool IsWebUrl(string? url) =>
        url is not null && (url.StartsWith("https://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && !url.Contains("://:", StringComparison.Ordinal);
}
