using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The 12-location sample DSO (policies/dental/practices/harborview-dental.yaml) end to end: SDK-shaped events with
/// PHI go through the real gateway process to the real scoring service; a Boston lead and a Seattle lead are routed
/// to their own locations' queues with SLAs in their own office hours and time zones, and the hand-offs are pushed
/// to the practice's signed webhook without PHI.
/// </summary>
[Collection(StackCollection.Name)]
public class DsoHandoffTests
{
    private static readonly byte[] s_signingKey = SHA256.HashData("e2e-webhook-key"u8);

    [Fact]
    public async Task LeadsOfTwoLocationsInDifferentTimeZones_GoToTheirOwnQueues_WithOfficeHourSlas_AndAreHandedOff()
    {
        // Monday 2026-11-23 21:30 UTC: 16:30 in Boston (Back Bay open until 18:00), 13:30 in Seattle (09:00-18:00).
        var now = new DateTimeOffset(2026, 11, 23, 21, 30, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        await using var hooks = await HttpReceiver.StartAsync();
        var secrets = Path.Combine(Path.GetTempPath(), "e2e-hook-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(secrets);
        var keyFile = Path.Combine(secrets, "webhook.key");
        await File.WriteAllTextAsync(keyFile, "whsec_" + Convert.ToBase64String(s_signingKey));
        try
        {
            await using var stack = await StackFixture.StartAsync(
                "harborview-dental",
                new Dictionary<string, string?>
                {
                    ["Handoffs:PollSeconds"] = "15",
                    ["Handoffs:Destinations:crm-hook:Practice"] = "harborview-dental",
                    ["Handoffs:Destinations:crm-hook:Kind"] = "webhook",
                    ["Handoffs:Destinations:crm-hook:Url"] = new Uri(hooks.Address, "/hooks/mql").ToString(),
                    ["Handoffs:Destinations:crm-hook:SecretFile"] = keyFile,
                },
                time,
                ["021", "981"]);

            var sent = now.ToString("O");
            JsonObject Event(string type, string? name, string user, JsonObject payload)
            {
                var e = new JsonObject
                {
                    ["type"] = type,
                    ["messageId"] = $"{user}-{type}-{name}",
                    ["userId"] = user,
                    ["timestamp"] = sent,
                    ["context"] = new JsonObject { ["ip"] = "203.0.113.9", ["consent"] = Events.Consent(analytics: true) },
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

            JsonObject Identify(string user, string email, string zip) => Event("identify", null, user, new JsonObject
            {
                ["traits"] = new JsonObject
                {
                    ["email"] = email, ["phone"] = "(206) 555-0142", ["first_name"] = "Canary", ["last_name"] = "Lindqvist",
                    ["address"] = new JsonObject { ["postal_code"] = zip }, ["insurance_status"] = "in_network", ["patient_status"] = "new",
                },
            });

            var batch = new JsonObject
            {
                ["batch"] = new JsonArray(
                    Identify("patient-bos-1", "bos.canary@example.com", "02116"),
                    Event("track", "Appointment Requested", "patient-bos-1", new JsonObject { ["properties"] = new JsonObject
                    {
                        ["service_line"] = "general", ["location_id"] = "back-bay", ["email"] = "bos.canary@example.com", ["zip"] = "02116",
                        ["notes"] = "This is Canary Lindqvist, call me at 617-555-0142.",
                    } }),
                    Identify("patient-sea-1", "sea.canary@example.com", "98109"),
                    Event("track", "Appointment Requested", "patient-sea-1", new JsonObject { ["properties"] = new JsonObject
                    {
                        ["service_line"] = "general", ["zip"] = "98109", ["phone"] = "(206) 555-0142",
                    } })),
            };

            using var response = await stack.GatewayClient().PostAsync("/v1/batch", Events.Json(batch));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var boston = StackFixture.Pseudonym("patient-bos-1", "harborview-dental");
            var seattle = StackFixture.Pseudonym("patient-sea-1", "harborview-dental");
            await Wait.UntilAsync(() => LeadExists(stack, boston) && LeadExists(stack, seattle), "both leads scored");

            // The practice's 2h scheduling SLA: Back Bay 1.5 h Monday + 0.5 h from Tuesday 07:30 → 08:00 Boston (13:00
            // UTC); Seattle 13:30 + 2 h → 15:30 Seattle (23:30 UTC).
            var bostonLead = await LeadAsync(stack, boston);
            var seattleLead = await LeadAsync(stack, seattle);
            Assert.Equal(("mql", "back-bay/scheduling", "back-bay", new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero)),
                ((string?)bostonLead["stage"], (string?)bostonLead["handoff"]!["queue"], (string?)bostonLead["handoff"]!["location"], (DateTimeOffset)bostonLead["handoff"]!["dueAt"]!));
            Assert.Equal(("mql", "seattle/scheduling", "seattle", new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero)),
                ((string?)seattleLead["stage"], (string?)seattleLead["handoff"]!["queue"], (string?)seattleLead["handoff"]!["location"], (DateTimeOffset)seattleLead["handoff"]!["dueAt"]!));

            // The hand-off worker's next pass (the scoring clock moves on) pushes both MQLs, signed.
            time.Advance(TimeSpan.FromSeconds(15));
            await Wait.UntilAsync(() => hooks.Requests.Count >= 2, "two hand-offs at the practice's webhook");
            var received = hooks.Requests.Select(r => (Request: r, Body: JsonNode.Parse(r.Body)!)).ToList();
            Assert.All(received, r =>
            {
                var signed = $"{r.Request.Header("webhook-id")}.{r.Request.Header("webhook-timestamp")}.{r.Request.Body}";
                Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(s_signingKey, Encoding.UTF8.GetBytes(signed))), r.Request.Header("webhook-signature"));
                Assert.Equal(("mql", "harborview-dental"), ((string?)r.Body["type"], (string?)r.Body["practice"]));
            });
            Assert.Equal(
                [(boston, "back-bay/scheduling", "back-bay"), (seattle, "seattle/scheduling", "seattle")],
                received.Select(r => ((string)r.Body["lead"]!["id"]!, (string)r.Body["lead"]!["queue"]!, (string)r.Body["lead"]!["location"]!)).OrderBy(r => r.Item2, StringComparer.Ordinal));

            var everything = string.Join("\n", hooks.Requests.Select(r => r.Body + string.Join("\n", r.Headers.Values)));
            foreach (var phi in new[] { "canary", "Canary", "Lindqvist", "555-0142", "02116", "98109", "patient-bos-1", "patient-sea-1", "203.0.113" })
            {
                Assert.DoesNotContain(phi, everything, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    private static bool LeadExists(StackFixture stack, string subject) =>
        stack.ScoringClient().GetAsync($"/api/leads/harborview-dental/{Uri.EscapeDataString(subject)}").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK;

    private static async Task<JsonObject> LeadAsync(StackFixture stack, string subject) =>
        JsonNode.Parse(await stack.ScoringClient().GetStringAsync($"/api/leads/harborview-dental/{Uri.EscapeDataString(subject)}"))!.AsObject();
}
