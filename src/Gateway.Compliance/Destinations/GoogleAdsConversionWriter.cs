using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Compliance.Destinations;

/// <summary>
/// One element of a Google Ads <c>uploadClickConversions</c> request's <c>conversions</c> array (docs/destinations.md):
/// <c>conversionAction</c>, <c>conversionDateTime</c> (<c>yyyy-MM-dd HH:mm:ss+00:00</c>), <c>orderId</c>, <c>gclid</c>,
/// <c>userIdentifiers</c> (one hashed identifier each), <c>consent.adUserData</c> and the value.
/// </summary>
public static class GoogleAdsConversionWriter
{
    public static byte[] Write(AdConversion conversion)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("conversionAction"u8, conversion.Event);
            writer.WriteString("conversionDateTime"u8, DateTime(conversion.Time));
            writer.WriteString("orderId"u8, conversion.EventId);
            if (conversion.ClickId is { } gclid)
            {
                writer.WriteString("gclid"u8, gclid);
            }

            if (conversion.HashedEmail is not null || conversion.HashedPhone is not null)
            {
                writer.WriteStartArray("userIdentifiers"u8);
                if (conversion.HashedEmail is { } email)
                {
                    writer.WriteStartObject();
                    writer.WriteString("hashedEmail"u8, email);
                    writer.WriteEndObject();
                }

                if (conversion.HashedPhone is { } phone)
                {
                    writer.WriteStartObject();
                    writer.WriteString("hashedPhoneNumber"u8, phone);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            // Only adUserData applies to click conversions (adPersonalization is for customer-match uploads); it is
            // GRANTED because a conversion with identifiers is only built for a subject with advertising consent.
            writer.WriteStartObject("consent"u8);
            writer.WriteString("adUserData"u8, "GRANTED");
            writer.WriteEndObject();
            if (conversion.Value is { } value && conversion.Currency is { } currency)
            {
                writer.WriteNumber("conversionValue"u8, value);
                writer.WriteString("currencyCode"u8, currency);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Google's format: <c>yyyy-mm-dd hh:mm:ss+|-hh:mm</c>; the gateway always writes UTC.</summary>
    public static string DateTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00";
}
