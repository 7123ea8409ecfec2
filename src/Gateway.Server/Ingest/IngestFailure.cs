namespace Gateway.Server.Ingest;

/// <summary>
/// A request-level refusal: the status, a stable problem type and a message that names limits, rules and
/// JSON paths but never a value from the request.
/// </summary>
internal sealed record IngestFailure(int Status, string Type, string Title, string Detail)
{
    public static IngestFailure Unauthorized() =>
        new(StatusCodes.Status401Unauthorized, "unauthorized", "Unknown or missing write key",
            "Send the write key as the HTTP Basic user name (empty password), or as 'writeKey' in the body.");

    public static IngestFailure TooLarge(int limit, string what) =>
        new(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Payload too large", $"The {what} exceeds {limit} bytes.");

    public static IngestFailure UnsupportedMediaType() =>
        new(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
            "Send JSON (application/json or text/plain), optionally with Content-Encoding: gzip.");

    public static IngestFailure Malformed(string detail) =>
        new(StatusCodes.Status400BadRequest, "malformed-json", "Malformed request body", detail);

    public static IngestFailure Unavailable(string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, "unavailable", "Temporarily unavailable", detail);
}
