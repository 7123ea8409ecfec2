using System.Buffers;
using System.Text.Json;

namespace Gateway.Server.Forwarding;

/// <summary>
/// Meta Conversions API requests and answers (docs/destinations.md): <c>POST /{version}/{pixel}/events</c> with
/// <c>{"data":[...],"test_event_code":...,"access_token":...}</c>. Meta rejects a whole request when one event is
/// invalid, so a refused batch is split by the outbox to find the event. Throttling arrives as an <c>error.code</c>
/// (4, 17, 32, 341, 613, 80004), usually with a 400, and is retried; an invalid token (190) is retried too, so events
/// wait while an operator fixes it instead of becoming dead letters. Only codes are kept: Meta's messages can quote data.
/// </summary>
internal static class MetaCapiProtocol
{
    private static readonly HashSet<int> s_retryableCodes = [1, 2, 4, 17, 32, 190, 341, 368, 613, 80004];

    public static string Path(string apiVersion, string pixelId) => $"/{apiVersion}/{pixelId}/events";

    public static byte[] Body(IReadOnlyList<ReadOnlyMemory<byte>> rows, string? testEventCode, string accessToken)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + rows.Sum(r => r.Length + 1));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data"u8);
            foreach (var row in rows)
            {
                writer.WriteRawValue(row.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            if (testEventCode is not null)
            {
                writer.WriteString("test_event_code"u8, testEventCode);
            }

            writer.WriteString("access_token"u8, accessToken);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static ForwardResult Interpret(int status, ReadOnlySpan<byte> answer, int sent, TimeSpan? retryAfter)
    {
        if (status is >= 200 and < 300)
        {
            // Meta says how many events it took; fewer than were sent is not a delivery of the batch.
            var received = TryRead(answer, out var root) && root.TryGetProperty("events_received", out var count) && count.TryGetInt32(out var n) ? n : sent;
            return received == sent
                ? ForwardResult.Delivered200(status)
                : new ForwardResult(ForwardOutcome.Retryable, status, "meta-events-received-" + received);
        }

        var code = TryRead(answer, out var error) && error.TryGetProperty("error", out var e) && e.TryGetProperty("code", out var c) && c.TryGetInt32(out var v) ? v : (int?)null;
        var name = code is { } known ? $"meta-error-{known}" : "status-" + status;
        var retryable = status is 408 or 429 || status >= 500 || (code is { } k && s_retryableCodes.Contains(k));
        return new ForwardResult(retryable ? ForwardOutcome.Retryable : ForwardOutcome.Rejected, status, name) { RetryAfter = retryAfter };
    }

    private static bool TryRead(ReadOnlySpan<byte> answer, out JsonElement root)
    {
        root = default;
        try
        {
            var reader = new Utf8JsonReader(answer);
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                root = document.RootElement.Clone();
                document.Dispose();
                return root.ValueKind == JsonValueKind.Object;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
