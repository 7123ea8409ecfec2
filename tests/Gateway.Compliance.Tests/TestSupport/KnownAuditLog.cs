using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Compliance.Tests.TestSupport;

/// <summary>
/// An audit log written by the real <see cref="FileAuditLog"/> from a known set of events run through the real
/// engine and the shipped policies: one person ("Maria", whose practice uses her email as user id) across a
/// key rotation, other people, another practice with the same user id, drops for consent, a rejection,
/// failed and retried deliveries. Also linked into the CLI tests, which run the commands against it.
/// </summary>
internal static class KnownAuditLog
{
    public const string Instance = "gw-known";
    public const string Dental = "p-dental";
    public const string Health = "p-health";

    /// <summary>Maria's user id: an email, as some practices use.</summary>
    public const string MariaUserId = "Maria.Gonzalez@example.org";
    public const string OtherUserId = "user-77";

    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The dental practice's secrets: <c>k1</c> (retired on day 2) and <c>k2</c> (active).</summary>
    public static readonly byte[] DentalK1 = Enumerable.Repeat((byte)0x11, 32).ToArray();
    public static readonly byte[] DentalK2 = Enumerable.Repeat((byte)0x22, 32).ToArray();
    public static readonly byte[] HealthK1 = Enumerable.Repeat((byte)0x33, 32).ToArray();

    /// <summary>Maria's disclosures: identify (day 1, key k1) and Appointment Requested (day 3, delivered on the retry).</summary>
    public static readonly DateTimeOffset MariaIdentifyDelivered = Start.AddMinutes(1);
    public static readonly DateTimeOffset MariaAppointmentDelivered = Start.AddDays(2).AddMinutes(30);

    /// <summary>A gateway-shaped config with both practices' keys (the retired key included).</summary>
    public static string ConfigJson() => $$"""
        {
          "Gateway": {
            "InstanceId": "{{Instance}}",
            "Practices": [
              {
                "Id": "{{Dental}}", "Vertical": "dental",
                "PseudonymKeys": [
                  { "Id": "k2", "Secret": "{{Convert.ToBase64String(DentalK2)}}", "Active": true },
                  { "Id": "k1", "Secret": "{{Convert.ToBase64String(DentalK1)}}" }
                ]
              },
              {
                "Id": "{{Health}}", "Vertical": "healthcare",
                "PseudonymKeys": [ { "Id": "h1", "SecretFile": "health-h1.key", "Active": true } ]
              }
            ]
          }
        }
        """;

    public static string HealthSecretFileContent => Convert.ToBase64String(HealthK1);

    public static PseudonymKeyRing DentalRing() => new(new PseudonymKey("k2", DentalK2, Dental), [new PseudonymKey("k1", DentalK1, Dental)]);

    public static async Task WriteAsync(string directory, string policiesRoot)
    {
        var loader = new PolicyLoader();
        var dental = loader.LoadOrThrow(Path.Combine(policiesRoot, "dental"));
        var healthcare = loader.LoadOrThrow(Path.Combine(policiesRoot, "healthcare"));
        var dentalBefore = new PracticeContext(Dental, "dental", new PseudonymKeyRing(new PseudonymKey("k1", DentalK1, Dental)), ["021"]);
        var dentalAfter = new PracticeContext(Dental, "dental", DentalRing(), ["021"]);
        var health = new PracticeContext(Health, "healthcare", new PseudonymKeyRing(new PseudonymKey("h1", HealthK1, Health)), ["606"]);
        var clock = new ManualTime(Start);
        using var log = FileAuditLog.Open(new AuditFileOptions { Directory = directory, InstanceId = Instance, TimeProvider = clock, SyncToDisk = false });

        async Task Write(byte[] body, DateTimeOffset at)
        {
            clock.Now = at;
            await log.AppendAsync([body]);
        }

        // Day 1, key k1: Maria identifies; delivered.
        var identify = Event(dental, dentalBefore, Fixture(policiesRoot, "dental", "identify"), MariaUserId, "m-identify", Forward(baa: 7, consent: [11, 12]));
        await Write(identify.Body, Start);
        await Write(Delivery(Dental, [identify.MessageId], delivered: true, status: 200, error: null, attempt: "direct"), MariaIdentifyDelivered);

        // Day 1: another person's page view; delivered.
        var page = Event(dental, dentalBefore, Fixture(policiesRoot, "dental", "page-view"), OtherUserId, "o-page", Forward(baa: 7, consent: [13]));
        await Write(page.Body, Start.AddHours(2));
        await Write(Delivery(Dental, [page.MessageId], delivered: true, status: 200, error: null, attempt: "direct"), Start.AddHours(2).AddSeconds(1));

        // Day 2: key rotated to k2. Maria's pricing page view is dropped: no analytics consent.
        var pricing = Event(dental, dentalAfter, Fixture(policiesRoot, "dental", "pricing-page-viewed"), MariaUserId, "m-pricing",
            new DestinationDecision { Destination = "scoring", Outcome = "dropped", Reason = "consent-missing", MissingPurposes = ["analytics"] }, outcome: "dropped", reason: "consent-missing");
        await Write(pricing.Body, Start.AddDays(1));

        // Day 2: an invalid event (rejected).
        var invalid = Event(dental, dentalAfter, Fixture(policiesRoot, "dental", "invalid-event"), OtherUserId, "o-invalid", null);
        await Write(invalid.Body, Start.AddDays(1).AddHours(1));

        // Day 3: Maria requests an appointment; the first delivery fails, the outbox retry succeeds.
        var appointment = Event(dental, dentalAfter, Fixture(policiesRoot, "dental", "appointment-requested"), MariaUserId, "m-appointment", Forward(baa: 8, consent: [21]));
        await Write(appointment.Body, Start.AddDays(2));
        await Write(Delivery(Dental, [appointment.MessageId], delivered: false, status: 503, error: "status-503", attempt: "direct"), Start.AddDays(2).AddSeconds(1));
        await Write(Delivery(Dental, [appointment.MessageId, page.MessageId], delivered: true, status: 200, error: null, attempt: "outbox"), MariaAppointmentDelivered);

        // Day 3: the healthcare practice has a patient with the same user id (other keys: not Maria of p-dental).
        var other = Event(healthcare, health, Fixture(policiesRoot, "healthcare", "identify"), MariaUserId, "h-identify", Forward(baa: 9, consent: [31]));
        await Write(other.Body, Start.AddDays(2).AddHours(1));
        await Write(Delivery(Health, [other.MessageId], delivered: true, status: 200, error: null, attempt: "direct"), Start.AddDays(2).AddHours(1).AddSeconds(1));

        // Day 4: a failed authentication.
        await Write("""{"kind":"auth-failure","surface":"ingest","reason":"unknown-write-key"}"""u8.ToArray(), Start.AddDays(3));
    }

    private static DestinationDecision Forward(long baa, long[] consent) =>
        new() { Destination = "scoring", Outcome = DestinationDecision.Forward, BaaRecordId = baa, ConsentRecordIds = consent };

    private static JsonObject Fixture(string policiesRoot, string vertical, string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(policiesRoot, vertical, "fixtures", name + ".fixture.json")))!["input"]!.AsObject();

    private static (byte[] Body, string MessageId) Event(
        CompiledPolicy policy, PracticeContext practice, JsonObject input, string userId, string messageId, DestinationDecision? decision, string? outcome = null, string? reason = null)
    {
        input["userId"] = userId;
        input["messageId"] = messageId;
        using var document = JsonDocument.Parse(input.ToJsonString());
        var processor = new EventProcessor();
        processor.Reset(practice, new DateOnly(2026, 11, 22));
        var result = processor.Process(0, document.RootElement, null, policy);
        var forwarded = result.Disposition == EventDisposition.Forward;
        outcome ??= forwarded ? "forward" : result.Disposition.ToString().ToLowerInvariant();
        var body = EventAuditFormatter.Format(result, practice, policy, outcome, result.Reason, decision is null ? [] : [decision]);
        if (reason is not null)
        {
            var node = JsonNode.Parse(body)!.AsObject();
            node["reason"] = reason;
            body = Encoding.UTF8.GetBytes(node.ToJsonString());
        }

        return (body, result.MessageId!);
    }

    private static byte[] Delivery(string practice, IReadOnlyList<string> messageIds, bool delivered, int? status, string? error, string attempt)
    {
        var node = new JsonObject
        {
            ["kind"] = "delivery",
            ["practice"] = practice,
            ["destination"] = "scoring",
            ["cluster"] = "scoring",
            ["attempt"] = attempt,
            ["delivered"] = delivered,
            ["status"] = status,
            ["error"] = error,
            ["events"] = messageIds.Count,
            ["messageIds"] = new JsonArray([.. messageIds.Select(id => (JsonNode)id)]),
        };
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>A clock the test sets.</summary>
    internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
