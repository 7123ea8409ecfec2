using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing;

/// <summary>
/// Meta's Conversions API and Google Ads' <c>uploadClickConversions</c> on loopback, checking every request against
/// the documented shape (docs/destinations.md) and answering as the platforms do: Meta refuses a whole request when
/// one event is invalid (400, <c>error.code</c> 100); Google refuses rows on their own in a 200 with
/// <c>partialFailureError</c>. <see cref="Override"/> makes it answer otherwise (429, 5xx, throttling codes).
/// Shape failures are kept in <see cref="Violations"/> so a test can assert there were none.
/// </summary>
public sealed partial class FakeAdPlatforms : IAsyncDisposable
{
    public const string MetaToken = "meta-system-user-token-for-tests";
    public const string GoogleToken = "ya29.google-oauth-token-for-tests";
    public const string GoogleDeveloperToken = "google-developer-token-for-tests";

    private static readonly HashSet<string> s_actionSources = ["email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other"];
    private static readonly HashSet<string> s_userDataKeys = ["em", "ph", "fn", "ln", "db", "ge", "ct", "st", "zp", "country", "external_id", "client_ip_address", "client_user_agent", "fbc", "fbp", "subscription_id", "lead_id"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _meta = new();
    private readonly ConcurrentQueue<ReceivedRequest> _google = new();
    private readonly ConcurrentQueue<string> _violations = new();

    private FakeAdPlatforms(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> MetaRequests => [.. _meta];

    public IReadOnlyList<ReceivedRequest> GoogleRequests => [.. _google];

    /// <summary>Every way a request departed from the documented shape (should stay empty).</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    /// <summary>Answers a request instead of the platform logic: (status, JSON body, Retry-After seconds), or null to answer normally.</summary>
    public Func<ReceivedRequest, (int Status, string Body, int? RetryAfter)?> Override { get; set; } = _ => null;

    /// <summary>Google rows (by <c>orderId</c>) refused with <c>CLICK_NOT_FOUND</c> although well-formed.</summary>
    public ConcurrentDictionary<string, bool> GoogleRefusedOrders { get; } = new(StringComparer.Ordinal);

    public IEnumerable<JsonObject> MetaEvents => MetaRequests.SelectMany(r => JsonNode.Parse(r.Body)!["data"]!.AsArray().Select(e => e!.AsObject()));

    public IEnumerable<JsonObject> GoogleConversions => GoogleRequests.SelectMany(r => JsonNode.Parse(r.Body)!["conversions"]!.AsArray().Select(e => e!.AsObject()));

    public static async Task<FakeAdPlatforms> StartAsync()
    {
        var app = LoopbackApp.Create();
        var fake = new FakeAdPlatforms(app);
        app.Run(fake.HandleAsync);
        fake.Address = new Uri(await LoopbackApp.StartAsync(app));
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await ReceivedRequest.ReadAsync(context);
        var meta = MetaPath().Match(request.PathAndQuery);
        var google = GooglePath().Match(request.PathAndQuery);
        if (meta.Success)
        {
            _meta.Enqueue(request);
        }
        else if (google.Success)
        {
            _google.Enqueue(request);
        }

        if (Override(request) is { } forced)
        {
            await AnswerAsync(context, forced.Status, forced.Body, forced.RetryAfter);
            return;
        }

        if (meta.Success)
        {
            var problems = CheckMeta(request);
            await (problems.Count == 0
                ? AnswerAsync(context, 200, $$"""{"events_received":{{JsonNode.Parse(request.Body)!["data"]!.AsArray().Count}},"messages":[],"fbtrace_id":"AbCdEf"}""")
                : AnswerAsync(context, 400, """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2804019,"fbtrace_id":"AbCdEf"}}"""));
            return;
        }

        if (google.Success)
        {
            var (fatal, refusedRows) = CheckGoogle(request, google.Groups["customer"].Value);
            if (fatal is not null)
            {
                await AnswerAsync(context, fatal == "auth" ? 401 : 400, """{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}""");
                return;
            }

            var count = JsonNode.Parse(request.Body)!["conversions"]!.AsArray().Count;
            var results = string.Join(',', Enumerable.Range(0, count).Select(i => refusedRows.ContainsKey(i) ? "{}" : """{"conversionAction":"x","conversionDateTime":"y"}"""));
            var errors = string.Join(',', refusedRows.Select(r =>
                "{\"errorCode\":{\"conversionUploadError\":\"" + r.Value + "\"},\"message\":\"row failed\",\"location\":{\"fieldPathElements\":[{\"fieldName\":\"conversions\",\"index\":" + r.Key + "}]}}"));
            var failure = refusedRows.Count == 0 ? string.Empty
                : ",\"partialFailureError\":{\"code\":3,\"message\":\"Multiple errors in 'details'.\",\"details\":[{\"@type\":\"type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure\",\"errors\":[" + errors + "]}]}";
            await AnswerAsync(context, 200, "{\"results\":[" + results + "]" + failure + "}");
            return;
        }

        await AnswerAsync(context, 404, """{"error":"not found"}""");
    }

    private static async Task AnswerAsync(HttpContext context, int status, string body, int? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(body);
    }

    private List<string> CheckMeta(ReceivedRequest request)
    {
        var problems = new List<string>();
        void Problem(string text)
        {
            problems.Add(text);
            _violations.Enqueue("meta: " + text);
        }

        var body = JsonNode.Parse(request.Body) as JsonObject;
        if (body?["access_token"]?.GetValue<string>() != MetaToken)
        {
            Problem("access_token missing or wrong");
        }

        if (body?["data"] is not JsonArray data || data.Count is 0 or > 1000)
        {
            Problem("data must hold 1-1000 events");
            return problems;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var node in data)
        {
            if (node is not JsonObject e)
            {
                Problem("an event is not an object");
                continue;
            }

            if (e["event_name"]?.GetValue<string>() is not { Length: > 0 })
            {
                Problem("event_name missing");
            }

            if (e["event_time"] is not JsonValue time || !time.TryGetValue<long>(out var seconds) || seconds > now + 60 || seconds < now - (7 * 86400))
            {
                Problem("event_time must be Unix seconds within the last 7 days");
            }

            if (e["action_source"]?.GetValue<string>() is not { } source || !s_actionSources.Contains(source))
            {
                Problem("action_source missing or unknown");
            }

            if (e["event_source_url"] is JsonValue url && !url.GetValue<string>().StartsWith("http", StringComparison.Ordinal))
            {
                Problem("event_source_url must start with http:// or https://");
            }

            if (e["user_data"] is not JsonObject user || user.Count == 0)
            {
                Problem("user_data needs at least one customer information parameter");
                continue;
            }

            if ((string?)e["action_source"] == "website" && (user["client_user_agent"] is null || e["event_source_url"] is null))
            {
                Problem("website events need client_user_agent and event_source_url");
            }

            foreach (var (key, value) in user)
            {
                if (!s_userDataKeys.Contains(key))
                {
                    Problem($"user_data.{key} is not a Meta parameter");
                }
                else if (key is "em" or "ph" or "external_id" && (value is not JsonArray hashes || hashes.Any(h => !Sha256Hex().IsMatch(h!.GetValue<string>()))))
                {
                    Problem($"user_data.{key} must be an array of lower-case SHA-256 hex");
                }
                else if (key == "fbc" && !Fbc().IsMatch(value!.GetValue<string>()))
                {
                    Problem("user_data.fbc must be fb.1.<creation ms>.<fbclid>");
                }
            }

            if (e["custom_data"] is JsonObject custom && (custom["value"] is not JsonValue || custom["currency"]?.GetValue<string>() is not { Length: 3 }))
            {
                Problem("custom_data needs a numeric value and a 3-letter currency");
            }
        }

        return problems;
    }

    private (string? Fatal, Dictionary<int, string> Rows) CheckGoogle(ReceivedRequest request, string customer)
    {
        var rows = new Dictionary<int, string>();
        if (request.Headers.GetValueOrDefault("Authorization") != "Bearer " + GoogleToken || request.Headers.GetValueOrDefault("developer-token") != GoogleDeveloperToken)
        {
            _violations.Enqueue("google: Authorization or developer-token missing or wrong");
            return ("auth", rows);
        }

        var body = JsonNode.Parse(request.Body) as JsonObject;
        if (body?["partialFailure"]?.GetValue<bool>() != true)
        {
            _violations.Enqueue("google: partialFailure must be true");
            return ("PARTIAL_FAILURE_MODE_REQUIRED", rows);
        }

        if (body["conversions"] is not JsonArray conversions || conversions.Count is 0 or > 2000)
        {
            _violations.Enqueue("google: conversions must hold 1-2000 rows");
            return ("TOO_MANY_CONVERSIONS_IN_REQUEST", rows);
        }

        for (var i = 0; i < conversions.Count; i++)
        {
            var c = conversions[i] as JsonObject;
            string? problem = null;
            if (c?["conversionAction"]?.GetValue<string>() is not { } action || !action.StartsWith($"customers/{customer}/conversionActions/", StringComparison.Ordinal))
            {
                problem = "INVALID_CONVERSION_ACTION";
            }
            else if (c["conversionDateTime"]?.GetValue<string>() is not { } when || !GoogleDateTime().IsMatch(when))
            {
                problem = "INVALID_CONVERSION_DATE_TIME";
            }
            else if (c["gclid"] is null && c["gbraid"] is null && c["wbraid"] is null && c["userIdentifiers"] is not JsonArray { Count: > 0 })
            {
                problem = "MISSING_IDENTIFIER";
            }
            else if (c["userIdentifiers"] is JsonArray ids && ids.Any(u => u is not JsonObject { Count: 1 } one
                || !(one["hashedEmail"] ?? one["hashedPhoneNumber"])?.GetValue<string>().All(ch => char.IsAsciiDigit(ch) || ch is >= 'a' and <= 'f') == true))
            {
                problem = "INVALID_USER_IDENTIFIER";
            }
            else if (c["consent"]?["adUserData"]?.GetValue<string>() is { } consent && consent is not ("GRANTED" or "DENIED" or "UNSPECIFIED" or "UNKNOWN"))
            {
                problem = "INVALID_CONSENT";
            }
            else if (c["consent"]?["adPersonalization"] is not null)
            {
                problem = "AD_PERSONALIZATION_NOT_SETTABLE";
            }

            if (problem is not null)
            {
                _violations.Enqueue($"google: row {i}: {problem}");
                rows[i] = problem;
            }
            else if (c!["orderId"]?.GetValue<string>() is { } order && GoogleRefusedOrders.ContainsKey(order))
            {
                rows[i] = "CLICK_NOT_FOUND";
            }
        }

        return (null, rows);
    }

    [GeneratedRegex(@"^/v[0-9.]+/(?<pixel>\d+)/events$")]
    private static partial Regex MetaPath();

    [GeneratedRegex(@"^/v\d+/customers/(?<customer>\d+):uploadClickConversions$")]
    private static partial Regex GooglePath();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex(@"^fb\.1\.\d{13}\.[A-Za-z0-9_-]+$")]
    private static partial Regex Fbc();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")]
    private static partial Regex GoogleDateTime();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
