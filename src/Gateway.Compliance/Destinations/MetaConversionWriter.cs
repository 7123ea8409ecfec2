using System.Buffers;
using System.Text.Json;

namespace Gateway.Compliance.Destinations;

/// <summary>
/// One element of a Meta Conversions API request's <c>data</c> array (docs/destinations.md): <c>event_name</c>,
/// <c>event_time</c> in Unix seconds, <c>event_id</c>, <c>action_source</c>, <c>event_source_url</c>, <c>user_data</c>
/// and <c>custom_data</c>. Only members the conversion holds are written.
/// </summary>
public static class MetaConversionWriter
{
    /// <summary>Meta refuses a request with an <c>event_time</c> more than seven days old.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    /// <summary>Events per request Meta accepts; the outbox's batch size may not exceed it (Google takes up to 2,000).</summary>
    public const int MaxEventsPerRequest = 1000;

    public static byte[] Write(AdConversion conversion)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event_name"u8, conversion.Event);
            writer.WriteNumber("event_time"u8, conversion.Time.ToUnixTimeSeconds());
            writer.WriteString("event_id"u8, conversion.EventId);
            writer.WriteString("action_source"u8, conversion.ActionSource);
            if (conversion.SourceUrl is { } url)
            {
                writer.WriteString("event_source_url"u8, url);
            }

            writer.WriteStartObject("user_data"u8);
            if (conversion.HashedEmail is { } em)
            {
                writer.WriteStartArray("em"u8);
                writer.WriteStringValue(em);
                writer.WriteEndArray();
            }

            if (conversion.HashedPhone is { } ph)
            {
                writer.WriteStartArray("ph"u8);
                writer.WriteStringValue(ph);
                writer.WriteEndArray();
            }

            if (conversion.ClickId is { } fbc)
            {
                writer.WriteString("fbc"u8, fbc);
            }

            if (conversion.UnlinkableId is { } nonce)
            {
                writer.WriteStartArray("external_id"u8);
                writer.WriteStringValue(nonce);
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            if (conversion.Value is { } value && conversion.Currency is { } currency)
            {
                writer.WriteStartObject("custom_data"u8);
                writer.WriteNumber("value"u8, value);
                writer.WriteString("currency"u8, currency);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
