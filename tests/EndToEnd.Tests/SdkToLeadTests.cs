using System.Net;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace EndToEnd.Tests;

[Collection(StackCollection.Name)]
public class SdkToLeadTests
{
    [Fact]
    public async Task SdkShapedEvents_ThroughTheGateway_BecomeAScoredLead_WithoutPhi()
    {
        await using var stack = await StackFixture.StartAsync();
        var consent = new JsonObject { ["categoryPreferences"] = new JsonObject { ["Analytics"] = true } };
        JsonObject Event(string type, string? name, JsonObject payload, string id)
        {
            var e = new JsonObject
            {
                ["type"] = type,
                ["messageId"] = id,
                ["userId"] = "patient-e2e-77",
                ["anonymousId"] = "anon-e2e-77",
                ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"),
                ["context"] = new JsonObject
                {
                    ["ip"] = "203.0.113.50",
                    ["library"] = new JsonObject { ["name"] = "analytics-node", ["version"] = "2.1.0" },
                    ["page"] = new JsonObject { ["url"] = "https://smile.example/book?email=e2e.canary%40example.com", ["path"] = "/book" },
                    ["consent"] = consent.DeepClone(),
                },
            };
            if (name is not null)
            {
                e["event"] = name;
            }

            foreach (var (key, value) in payload)
            {
                e[key] = value?.DeepClone();
            }

            return e;
        }

        var batch = new JsonObject
        {
            ["batch"] = new JsonArray(
                Event("identify", null, new JsonObject { ["traits"] = new JsonObject
                {
                    ["email"] = "e2e.canary@example.com", ["phone"] = "(617) 555-0177", ["birthday"] = "1970-05-05",
                    ["address"] = new JsonObject { ["postal_code"] = "02139", ["street"] = "77 Canary Lane" },
                    ["insurance_status"] = "in_network", ["patient_status"] = "new",
                } }, "e2e-1"),
                Event("track", "Pricing Page Viewed", new JsonObject { ["properties"] = new JsonObject { ["service_line"] = "implants", ["financing_viewed"] = true } }, "e2e-2"),
                Event("track", "Appointment Requested", new JsonObject { ["properties"] = new JsonObject
                {
                    ["service_line"] = "implants", ["new_patient"] = true, ["email"] = "e2e.canary@example.com", ["zip"] = "02139",
                    ["notes"] = "My name is Canary Eetwoe, call 617-555-0177.",
                } }, "e2e-3")),
        };

        var response = await stack.GatewayClient().PostAsync("/v1/batch", Events.Json(batch));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The same batch again (an SDK retry) must not double-count.
        Assert.Equal(HttpStatusCode.OK, (await stack.GatewayClient().PostAsync("/v1/batch", Events.Json(batch))).StatusCode);

        var subject = StackFixture.Pseudonym("patient-e2e-77");
        var lead = JsonNode.Parse(await stack.ScoringClient().GetStringAsync($"/api/leads/{StackFixture.Practice}/{Uri.EscapeDataString(subject)}"))!;
        Assert.Equal("mql", (string?)lead["stage"]);
        Assert.True((double)lead["score"]!["total"]! >= (double)lead["score"]!["threshold"]!);
        var intent = lead["intent"]!.AsArray();
        Assert.Equal(2, intent.Count);
        Assert.Contains(intent, i => (string?)i!["event"] == "Appointment Requested");
        Assert.Contains(lead["fit"]!.AsArray(), f => (string?)f!["attribute"] is not null && (double)f!["points"]! > 0);

        var text = lead.ToJsonString();
        foreach (var phi in new[] { "e2e.canary", "555-0177", "Canary Lane", "1970", "02139", "patient-e2e-77", "anon-e2e-77", "Eetwoe", "203.0.113" })
        {
            Assert.DoesNotContain(phi, text);
        }
    }
}
