using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Server.Tests.Support;

/// <summary>SDK-shaped events for tests.</summary>
internal static class Events
{
    public static JsonObject Track(string name, JsonObject? properties = null, string? messageId = null, string userId = "user-1") => new()
    {
        ["type"] = "track",
        ["event"] = name,
        ["messageId"] = messageId ?? "msg-" + Guid.NewGuid().ToString("N"),
        ["userId"] = userId,
        ["timestamp"] = "2026-11-22T10:00:00.000Z",
        ["context"] = new JsonObject { ["library"] = new JsonObject { ["name"] = "analytics-node", ["version"] = "2.1.0" } },
        ["properties"] = properties ?? new JsonObject { ["service_line"] = "implants" },
    };

    public static JsonObject ServicePageViewed(string? messageId = null) => Track("Service Page Viewed", new JsonObject { ["service_line"] = "implants" }, messageId);

    public static JsonObject Batch(params JsonObject[] events) => new() { ["batch"] = new JsonArray([.. events]), ["sentAt"] = "2026-11-22T10:00:01.000Z" };

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string endpoint, JsonNode body) =>
        client.PostAsync("/v1/" + endpoint, Json(body));
}
