using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pms.Connectors.Events;

namespace Pms.Connectors.Delivery;

/// <summary>
/// Sends events to the gateway's Segment batch endpoint with the practice's write key (HTTP Basic, empty password), as
/// Segment's SDKs do: 2xx means every event was forwarded, durably queued or dropped on purpose; 400 lists the events
/// refused for good (the others were accepted); 429, 5xx and network errors are retried (honouring <c>Retry-After</c>)
/// and, when attempts run out, raise <see cref="GatewayUnavailableException"/>. Event bodies are never logged or
/// quoted in errors.
/// </summary>
public sealed class GatewaySender
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _batchUri;
    private readonly AuthenticationHeaderValue _authorization;

    public GatewaySender(HttpClient http, GatewayOptions options, TimeProvider time)
    {
        options.Validate();
        _http = http;
        _options = options;
        _time = time;
        _batchUri = new Uri(options.Endpoint, "/v1/batch");
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.WriteKey + ":")));
    }

    public int BatchSize => _options.BatchSize;

    public async Task<BatchOutcome> SendAsync(IReadOnlyList<PmsEvent> events, CancellationToken cancellationToken)
    {
        var body = Serialize(events);
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _batchUri) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = _authorization;
                using var response = await _http.SendAsync(request, cancellationToken);
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    return BatchOutcome.AllAccepted;
                }

                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    return await RefusedAsync(response, events.Count, cancellationToken);
                }

                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new GatewayUnavailableException($"the gateway refused the write key ({status}): check the practice's write key file");
                }

                if (status != 429 && status < 500)
                {
                    throw new GatewayUnavailableException($"the gateway answered {status} to a batch of {events.Count} event(s); nothing was marked sent");
                }

                retryAfter = RetryAfter(response);
                failure = $"the gateway answered {status}";
            }
            catch (HttpRequestException ex)
            {
                failure = $"the gateway could not be reached ({ex.HttpRequestError})";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "the gateway did not answer in time";
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw new GatewayUnavailableException($"{failure} after {attempt} attempt(s); nothing was marked sent, the next run resends");
            }

            var wait = retryAfter is { } after && after > delay ? after : delay;
            await Task.Delay(wait > s_maxDelay ? s_maxDelay : wait, _time, cancellationToken);
            delay += delay;
        }
    }

    private static async Task<BatchOutcome> RefusedAsync(HttpResponseMessage response, int count, CancellationToken cancellationToken)
    {
        var refused = new List<(int, string)>();
        try
        {
            using var problem = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    if (error.TryGetProperty("index", out var index) && index.TryGetInt32(out var i) && i >= 0 && i < count)
                    {
                        // The gateway's reasons are codes (schema-invalid, unprocessable ...), never values.
                        var reason = error.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "invalid";
                        refused.Add((i, reason));
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        // A 400 that names no event (a malformed batch): every event is refused, none is silently counted as sent.
        return refused.Count > 0 ? new BatchOutcome(refused) : new BatchOutcome([.. Enumerable.Range(0, count).Select(i => (i, "batch-refused"))]);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.TryGetValues("Retry-After", out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null);

    private byte[] Serialize(IReadOnlyList<PmsEvent> events)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("batch");
            foreach (var e in events)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "track");
                writer.WriteString("event", e.Event);
                writer.WriteString("messageId", e.MessageId);
                writer.WriteString("userId", e.UserId);
                writer.WriteString("timestamp", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                if (_options.ConsentCategories.Count > 0)
                {
                    writer.WriteStartObject("context");
                    writer.WriteStartObject("consent");
                    writer.WriteStartObject("categoryPreferences");
                    foreach (var category in _options.ConsentCategories)
                    {
                        writer.WriteBoolean(category, true);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteStartObject("properties");
                foreach (var (name, value) in e.Properties)
                {
                    switch (value)
                    {
                        case null:
                            break;
                        case string s:
                            writer.WriteString(name, s);
                            break;
                        case bool b:
                            writer.WriteBoolean(name, b);
                            break;
                        case double d:
                            writer.WriteNumber(name, d);
                            break;
                        case int n:
                            writer.WriteNumber(name, n);
                            break;
                        default:
                            throw new InvalidOperationException($"property '{name}' has an unsupported type {value.GetType().Name}");
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("sentAt", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
