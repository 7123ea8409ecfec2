using System.Text.Json;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Schemas;

namespace Gateway.Server.Ingest;

/// <summary>
/// Writes ingest responses. Problem details (RFC 7807) name limits, reasons, JSON paths and schema rules;
/// never a value from the request. Status codes follow what Segment SDKs do with them: 2xx only when
/// every event was forwarded or deliberately dropped; 503 with Retry-After when the client should retry;
/// 400 only for events that are permanently invalid.
/// </summary>
internal static class IngestResponses
{
    public const string ProblemContentType = "application/problem+json";
    public const int RetryAfterSeconds = 5;

    private static readonly byte[] s_success = """{"success":true}"""u8.ToArray();

    public static Task SuccessAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = s_success.Length;
        return response.Body.WriteAsync(s_success).AsTask();
    }

    public static Task FailureAsync(HttpResponse response, IngestFailure failure) =>
        WriteProblemAsync(response, failure.Status, failure.Type, failure.Title, failure.Detail, null);

    public static Task RejectedEventsAsync(HttpResponse response, int total, IReadOnlyList<(EventResult Result, long? QuarantineId)> rejected) =>
        WriteProblemAsync(response, StatusCodes.Status400BadRequest, "invalid-events", "Some events were rejected",
            $"{rejected.Count} of {total} event(s) were rejected and will not be accepted if sent again unchanged; the others were accepted.",
            writer =>
            {
                writer.WriteNumber("accepted", total - rejected.Count);
                writer.WriteStartArray("errors");
                foreach (var (result, quarantineId) in rejected)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", result.Index);
                    writer.WriteString("reason", result.Reason);
                    writer.WriteBoolean("quarantined", quarantineId is not null);
                    writer.WriteViolations(result.Violations);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            });

    private static async Task WriteProblemAsync(HttpResponse response, int status, string type, string title, string detail, Action<Utf8JsonWriter>? extra)
    {
        response.StatusCode = status;
        response.ContentType = ProblemContentType;
        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests && response.Headers.RetryAfter.Count == 0)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"gateway\"";
        }

        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "urn:gateway:problem:" + type);
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            extra?.Invoke(writer);
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }
}
