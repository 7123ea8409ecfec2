using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Testing;

/// <summary>SDK-shaped events for tests.</summary>
public static class Events
{
    public static JsonObject Track(string name, JsonObject? properties = null, string? messageId = null, string userId = "user-1") => new()
    {
        ["type"] = "track",
        ["event"] = name,
        ["messageId"] = messageId ?? "msg-" + Guid.NewGuid().ToString("N"),
        ["userId"] = userId,
        ["timestamp"] = "2026-11-22T10:00:00.000Z",
        ["context"] = new JsonObject
        {
            ["library"] = new JsonObject { ["name"] = "analytics-node", ["version"] = "2.1.0" },
            ["consent"] = Consent(analytics: true),
        },
        ["properties"] = properties ?? new JsonObject { ["service_line"] = "implants" },
    };

    /// <summary>Segment's consent convention: <c>context.consent.categoryPreferences</c>.</summary>
    public static JsonObject Consent(bool? analytics = null, bool? advertising = null)
    {
        var preferences = new JsonObject();
        if (analytics is { } a)
        {
            preferences["Analytics"] = a;
        }

        if (advertising is { } d)
        {
            preferences["Advertising"] = d;
        }

        return new JsonObject { ["categoryPreferences"] = preferences };
    }

    public static JsonObject ServicePageViewed(string? messageId = null) => Track("Service Page Viewed", new JsonObject { ["service_line"] = "implants" }, messageId);

    public static JsonObject Batch(params JsonObject[] events) => new() { ["batch"] = new JsonArray([.. events]), ["sentAt"] = "2026-11-22T10:00:01.000Z" };

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string endpoint, JsonNode body) =>
        client.PostAsync("/v1/" + endpoint, Json(body));
}
