using System.Text.Json;
using Gateway.Compliance.Policies.Definitions;

namespace Gateway.Compliance.Destinations;

/// <summary>Reads back a built conversion (a queued outbox row): whether it carries identifiers, so that it may only go
/// while the subject's authorization is still in force.</summary>
public static class AdConversionRows
{
    public static bool CarriesIdentifiers(DestinationKind kind, ReadOnlySpan<byte> row)
    {
        var reader = new Utf8JsonReader(row);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        return kind == DestinationKind.GoogleAdsConversions
            ? root.TryGetProperty("userIdentifiers", out _) || root.TryGetProperty("gclid", out _) || root.TryGetProperty("gbraid", out _) || root.TryGetProperty("wbraid", out _)
            : root.TryGetProperty("user_data", out var user) && (user.TryGetProperty("em", out _) || user.TryGetProperty("ph", out _) || user.TryGetProperty("fbc", out _));
    }
}
