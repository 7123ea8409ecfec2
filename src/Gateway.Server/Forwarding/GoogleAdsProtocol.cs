using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Server.Forwarding;

/// <summary>
/// Google Ads <c>uploadClickConversions</c> requests and answers (docs/destinations.md):
/// <c>POST /{version}/customers/{id}:uploadClickConversions</c> with <c>{"conversions":[...],"partialFailure":true}</c>
/// (Google refuses a request without partial failure). A 200 may still refuse some rows: their positions come from
/// <c>partialFailureError.details[].errors[].location.fieldPathElements</c> and each becomes a dead letter on its own.
/// A 429 (<c>RESOURCE_EXHAUSTED</c>) is retried no sooner than its <c>retryDelay</c>; 401 and 403 are retried so events
/// wait while a token is fixed. Only error codes are kept: messages can quote data.
/// </summary>
internal static class GoogleAdsProtocol
{
    public static string Path(string apiVersion, string customerId) => $"/{apiVersion}/customers/{customerId}:uploadClickConversions";

    public static byte[] Body(IReadOnlyList<ReadOnlyMemory<byte>> rows)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + rows.Sum(r => r.Length + 1));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("conversions"u8);
            foreach (var row in rows)
            {
                writer.WriteRawValue(row.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("partialFailure"u8, true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static ForwardResult Interpret(int status, ReadOnlySpan<byte> answer, int sent, TimeSpan? retryAfter)
    {
        JsonDocument? document = null;
        try
        {
            try
            {
                var reader = new Utf8JsonReader(answer);
                JsonDocument.TryParseValue(ref reader, out document);
            }
            catch (JsonException)
            {
            }

            var root = document?.RootElement;
            if (status is >= 200 and < 300)
            {
                if (root is not { ValueKind: JsonValueKind.Object } r)
                {
                    // Without a readable answer no row can be known taken or refused: all are sent again (Google drops a
                    // conversion whose orderId it already has, which the gateway counts as delivered).
                    return new ForwardResult(ForwardOutcome.Retryable, status, "google-answer-unreadable");
                }

                var refused = r.TryGetProperty("partialFailureError", out var failure) && failure.ValueKind == JsonValueKind.Object
                    ? RefusedRows(failure, sent).Where(row => !IsAlreadyThere(row.Code)).ToList()
                    : [];
                return ForwardResult.Delivered200(status) with { RefusedRows = refused };
            }

            var delay = retryAfter ?? RetryDelay(root);
            var retryable = status is 401 or 403 or 408 or 429 || status >= 500;
            var statusName = root is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object
                && e.TryGetProperty("status", out var s) && s.GetString() is { Length: <= 40 } text && text.All(c => char.IsAsciiLetterUpper(c) || c == '_')
                ? "google-" + text.ToLowerInvariant()
                : "status-" + status;
            return new ForwardResult(retryable ? ForwardOutcome.Retryable : ForwardOutcome.Rejected, status, statusName) { RetryAfter = delay };
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>A row refused because Google already holds that conversion (a retry after a lost answer): it was delivered.</summary>
    private static bool IsAlreadyThere(string code) =>
        code.Contains("ALREADY_EXISTS", StringComparison.Ordinal) || code.Contains("DUPLICATE", StringComparison.Ordinal) || code.Contains("ORDER_ID_ALREADY", StringComparison.Ordinal);

    /// <summary>The rows a partial failure names, each with its first error code (e.g. <c>conversionUploadError:CLICK_NOT_FOUND</c>).</summary>
    private static List<(int Index, string Code)> RefusedRows(JsonElement failure, int sent)
    {
        var rows = new SortedDictionary<int, string>();
        foreach (var error in Errors(failure))
        {
            if (!error.TryGetProperty("location", out var location) || !location.TryGetProperty("fieldPathElements", out var elements) || elements.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var element in elements.EnumerateArray())
            {
                if (element.TryGetProperty("fieldName", out var field) && field.ValueEquals("conversions"u8)
                    && element.TryGetProperty("index", out var index) && index.TryGetInt32(out var i) && i >= 0 && i < sent)
                {
                    rows.TryAdd(i, ErrorCode(error));
                }
            }
        }

        // A partial failure that names no row cannot be mapped to rows: every row is treated as refused, none as delivered.
        return rows.Count == 0 ? [.. Enumerable.Range(0, sent).Select(i => (i, "google-partial-failure"))] : [.. rows.Select(r => (r.Key, r.Value))];
    }

    private static IEnumerable<JsonElement> Errors(JsonElement failure)
    {
        if (!failure.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        yield return error;
                    }
                }
            }
        }
    }

    private static string ErrorCode(JsonElement error)
    {
        if (error.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in code.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: <= 80 } value && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    return $"{property.Name}:{value}";
                }
            }
        }

        return "google-row-error";
    }

    /// <summary><c>error.details[].errors[].details.quotaErrorDetails.retryDelay</c> ("30s"), when Google gives one.</summary>
    private static TimeSpan? RetryDelay(JsonElement? root)
    {
        if (root is not { ValueKind: JsonValueKind.Object } r || !r.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var e in Errors(error))
        {
            if (e.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
                && details.TryGetProperty("quotaErrorDetails", out var quota) && quota.TryGetProperty("retryDelay", out var delay)
                && delay.GetString() is { } text && text.EndsWith('s')
                && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 86_400)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return null;
    }
}
