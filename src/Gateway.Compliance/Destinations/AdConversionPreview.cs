using System.Text.Json;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Destinations;

/// <summary>
/// What an ad destination would be sent for one scrubbed event by a person with the destination's consent but no HIPAA
/// authorization: the de-identified form, through the same planner ingest uses, as of just after the event (so a
/// sample's age does not hide it), sent nowhere. A practice without an account at the platform gets placeholder ids.
/// Used by <c>policy explain</c>, the console and the leak benchmark.
/// </summary>
public static class AdConversionPreview
{
    public static (DestinationDecision Decision, byte[]? Row) Build(
        DestinationDefinition destination, EventResult result, JsonElement raw, ReadOnlySpan<byte> scrubbed, PracticeContext practice)
    {
        var ads = destination.Ads ?? throw new ArgumentException($"Destination '{destination.Name}' is not an ad platform.", nameof(destination));
        var now = (AdConversionPlanner.TimestampOf(raw) ?? DateTimeOffset.UtcNow).AddMinutes(1);
        var grants = new ConsentState(result.EventType!.PurposesFor(destination).Select((purpose, i) => new ConsentRecord
        {
            Id = -(i + 1),
            PracticeId = practice.Id,
            Subject = result.Subject ?? "preview",
            Purpose = purpose,
            Decision = ConsentDecision.Granted,
            Source = "preview",
            RecordedAt = now.AddMinutes(-1),
        }));
        var account = practice.Platforms.GetValueOrDefault(destination.Name) ?? new PlatformAccount
        {
            PixelId = "0",
            CustomerId = "0",
            ConversionActions = ads.Events.Values.Distinct(StringComparer.Ordinal).ToDictionary(k => k, k => $"customers/0/conversionActions/{k}", StringComparer.Ordinal),
        };
        return AdConversionPlanner.Plan(destination with { Ads = ads with { DryRun = true } }, result, raw, scrubbed, grants, account, now);
    }
}
