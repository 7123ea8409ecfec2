using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Service.Handoffs;
using Scoring.Service.Storage;
using Gateway.Testing;
using static Scoring.Tests.Functional.Batches;

namespace Scoring.Tests.Functional;

/// <summary>
/// Hand-offs that reach people: every new MQL, SLA breach and stage change is pushed through the durable outbox to
/// the destinations a practice configures, each tested against a local receiver that checks the documented shape
/// (Standard Webhooks signature, Slack incoming webhook, SMTP, HubSpot batch upsert, Salesforce upsert by external
/// id). Nothing but the pseudonymous id, score, stage, queue, SLA, service interest, location, lead type and "do not
/// text" leaves; secrets come from files and never reach a log.
/// </summary>
public sealed class HandoffTests : IDisposable
{
    private const string SlackPath = "/services/T0CANARY/B0CANARY/slackSecretPath42";
    private const string SmtpPassword = "smtp-password-canary-77";
    private const string HubSpotToken = "pat-na1-hubspot-canary-token";
    private const string SalesforceToken = "00Dsalesforce!canary.token";
    private const string CanaryCampaign = "canary-campaign-xyz";
    private const string CanaryForm = "canary-form-77";

    private static readonly DateTimeOffset s_t0 = ScoringServiceFactory.Start; // Monday 09:00 New York
    private static readonly byte[] s_webhookKey = SHA256.HashData("webhook-signing-key"u8);

    private readonly string _secrets = Path.Combine(Path.GetTempPath(), "handoff-secrets-" + Guid.NewGuid().ToString("N"));

    public HandoffTests()
    {
        Directory.CreateDirectory(_secrets);
        File.WriteAllText(Path.Combine(_secrets, "webhook.key"), "whsec_" + Convert.ToBase64String(s_webhookKey));
        File.WriteAllText(Path.Combine(_secrets, "smtp.password"), SmtpPassword + "\n");
        File.WriteAllText(Path.Combine(_secrets, "hubspot.token"), HubSpotToken);
        File.WriteAllText(Path.Combine(_secrets, "salesforce.token"), SalesforceToken);
    }

    public void Dispose() => Directory.Delete(_secrets, recursive: true);

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task NewMqlSlaBreachAndStageChange_ReachEveryDestination_InItsDocumentedShape_WithoutPhi(string backend)
    {
        await using var web = await HttpReceiver.StartAsync();
        await using var smtp = new SmtpReceiver();
        var salesforceRecords = new HashSet<string>(StringComparer.Ordinal);
        web.Respond = request => SalesforceAnswer(request, salesforceRecords);
        File.WriteAllText(Path.Combine(_secrets, "slack.url"), new Uri(web.Address, SlackPath).ToString());
        using var factory = Service(web, smtp, backend);
        var worker = factory.Services.GetRequiredService<HandoffWorker>();

        // An MQL: fit 26, appointment request 45 → 71 > 60, routed to scheduling (4h in office hours 08-17 New York:
        // due 13:00 New York = 18:00 UTC). The person had replied STOP to a text: do not text.
        await factory.PostBatchAsync(Dental(
            s_t0,
            Identify("dd1:h-i", "dd1:h-user", null, s_t0, new { insurance_status = "in_network", patient_status = "new" }, new { in_service_area = true, email_valid = true }),
            Track("dd1:h-s", "dd1:h-user", "SMS Reply Received", s_t0, new { campaign_id = "recall-nov", keyword = "[REDACTED]" }, new { sms_opt_out = true }),
            Track("dd1:h-a", "dd1:h-user", "Appointment Requested", s_t0, new { location_id = "back-bay", form_id = CanaryForm }, campaign: new { name = CanaryCampaign, source = "google", medium = "cpc" })));
        await worker.RunOnceAsync(CancellationToken.None);

        // Signed webhook (Standard Webhooks): webhook-id = idempotency key, webhook-timestamp, v1 HMAC-SHA256 of id.timestamp.body.
        var hook = Assert.Single(web.Requests, r => r.PathAndQuery == "/hooks/leads");
        Assert.Equal("POST", hook.Method);
        Assert.Equal(hook.Header("webhook-id"), hook.Header("Idempotency-Key"));
        Assert.Equal(s_t0.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), hook.Header("webhook-timestamp"));
        Assert.Equal(Sign(hook), hook.Header("webhook-signature"));
        var mql = JsonNode.Parse(hook.Body)!;
        Assert.Equal(("mql", "demo-dental", hook.Header("webhook-id")), ((string?)mql["type"], (string?)mql["practice"], (string?)mql["id"]));
        Assert.Equal(
            """{"id":"dd1:h-user","stage":"mql","previousStage":"lead","score":71,"threshold":60,"queue":"scheduling","sla":"4h","dueAt":"2026-11-23T18:00:00+00:00","serviceInterest":null,"location":"back-bay","leadType":"patient","doNotText":true}""",
            mql["lead"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        // Slack incoming webhook: {"text": ...} to the URL from its file.
        var slack = Assert.Single(web.Requests, r => r.PathAndQuery == SlackPath);
        var text = (string)JsonNode.Parse(slack.Body)!["text"]!;
        Assert.Equal(["text"], JsonNode.Parse(slack.Body)!.AsObject().Select(p => p.Key));
        Assert.StartsWith("*New MQL for scheduling*\nLead dd1:h-user: mql, score 71 (threshold 60); queue scheduling; respond by 2026-11-23 18:00 UTC", text, StringComparison.Ordinal);
        Assert.EndsWith("Do not text: the person opted out of SMS.", text, StringComparison.Ordinal);

        // E-mail over SMTP, authenticated with the password from its file.
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(("scoring@harborview.example", "frontdesk@harborview.example", "scoring", SmtpPassword), (mail.From, mail.To.Single(), mail.User, mail.Password));
        Assert.Contains("Subject: New MQL for scheduling", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"X-Idempotency-Key: {hook.Header("webhook-id")}", mail.Text, StringComparison.Ordinal);

        // HubSpot: contacts batch upsert by the unique gateway_lead_id property.
        var hubspot = Assert.Single(web.Requests, r => r.PathAndQuery == "/crm/v3/objects/contacts/batch/upsert");
        Assert.Equal(("POST", $"Bearer {HubSpotToken}"), (hubspot.Method, hubspot.Header("Authorization")));
        var input = Assert.Single(JsonNode.Parse(hubspot.Body)!["inputs"]!.AsArray())!;
        Assert.Equal(("gateway_lead_id", "dd1:h-user", "mql", "true", "back-bay"),
            ((string?)input["idProperty"], (string?)input["id"], (string?)input["properties"]!["gateway_stage"], (string?)input["properties"]!["gateway_do_not_text"], (string?)input["properties"]!["gateway_location"]));

        // Salesforce: update only (404: no such lead yet), then the upsert that creates it with the required placeholders.
        var salesforce = web.Requests.Where(r => r.PathAndQuery.StartsWith("/services/data/", StringComparison.Ordinal)).ToList();
        var path = "/services/data/v62.0/sobjects/Lead/Gateway_Lead_Id__c/dd1%3Ah-user";
        Assert.Equal([("PATCH", path + "?updateOnly=true"), ("PATCH", path)], salesforce.Select(r => (r.Method, r.PathAndQuery)));
        Assert.Equal($"Bearer {SalesforceToken}", salesforce[1].Header("Authorization"));
        var created = JsonNode.Parse(salesforce[1].Body)!;
        Assert.Equal(("Pseudonymous lead", "back-bay", "mql", true), ((string?)created["LastName"], (string?)created["Company"], (string?)created["Gateway_Stage__c"], (bool)created["Gateway_Do_Not_Text__c"]!));
        Assert.Null(JsonNode.Parse(salesforce[0].Body)!["LastName"]);

        // Five hours later nobody has called: an SLA breach goes to every destination that wants breaches.
        factory.Time.Advance(TimeSpan.FromHours(5));
        await worker.RunOnceAsync(CancellationToken.None);
        var breach = JsonNode.Parse(web.Requests.Last(r => r.PathAndQuery == "/hooks/leads").Body)!;
        Assert.Equal(("sla_breach", "2026-11-23T18:00:00+00:00"), ((string?)breach["type"], breach["occurredAt"]!.ToString()));
        Assert.StartsWith("*SLA missed in scheduling*", (string)JsonNode.Parse(web.Requests.Last(r => r.PathAndQuery == SlackPath).Body)!["text"]!, StringComparison.Ordinal);
        Assert.Equal(2, smtp.Messages.Count);
        Assert.EndsWith("?updateOnly=true", web.Requests.Last(r => r.PathAndQuery.StartsWith("/services/", StringComparison.Ordinal)).PathAndQuery, StringComparison.Ordinal);

        // A person confirms the SQL: a stage change, to the destinations that want stage changes (not Slack here).
        var count = web.Requests.Count;
        await factory.ApiClientWithKey().PostAsJsonAsync(Lead("dd1:h-user") + "/sql", new { criteria = new[] { "appointment_booked" }, actor = "fd-7" });
        await worker.RunOnceAsync(CancellationToken.None);
        var changed = JsonNode.Parse(web.Requests.Last(r => r.PathAndQuery == "/hooks/leads").Body)!;
        Assert.Equal(("stage_changed", "sql", "mql"), ((string?)changed["type"], (string?)changed["lead"]!["stage"], (string?)changed["lead"]!["previousStage"]));
        Assert.DoesNotContain(web.Requests.Skip(count), r => r.PathAndQuery == SlackPath);

        // Delivered once: another pass sends nothing, and the outbox shows each message delivered.
        count = web.Requests.Count;
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(count, web.Requests.Count);
        var outbox = await factory.Services.GetRequiredService<IHandoffOutbox>().ListAsync("demo-dental", CancellationToken.None);
        Assert.Equal(13, outbox.Count);
        Assert.All(outbox, m => Assert.NotNull(m.DeliveredAt));

        // No PHI, no event values: only what the payload lists. No secret in any log line.
        foreach (var body in web.Requests.Select(r => r.Body).Concat(smtp.Messages.Select(m => m.Text)))
        {
            Assert.DoesNotContain(CanaryCampaign, body, StringComparison.Ordinal);
            Assert.DoesNotContain(CanaryForm, body, StringComparison.Ordinal);
            Assert.DoesNotContain("REDACTED", body, StringComparison.Ordinal);
            Assert.DoesNotContain("recall-nov", body, StringComparison.Ordinal);
        }

        Assert.All(factory.Logs.Lines, l =>
        {
            foreach (var secret in new[] { "slackSecretPath42", SmtpPassword, HubSpotToken, SalesforceToken, Convert.ToBase64String(s_webhookKey), "h-user" })
            {
                Assert.DoesNotContain(secret, l.Message, StringComparison.Ordinal);
            }
        });
        Assert.Contains(factory.Logs.Lines, l => l.Message == "Hand-off mql of practice demo-dental delivered to practice-hook (attempt 1)");
    }

    [Fact]
    public async Task AFailingWebhook_IsRetriedWithBackoff_WithTheSameIdempotencyKey_AndAPermanentRefusalIsGivenUp()
    {
        await using var web = await HttpReceiver.StartAsync();
        await using var smtp = new SmtpReceiver();
        var calls = 0;
        web.Respond = r => r.PathAndQuery != "/hooks/leads" ? 200 : ++calls <= 2 ? 503 : 200;
        File.WriteAllText(Path.Combine(_secrets, "slack.url"), new Uri(web.Address, SlackPath).ToString());
        using var factory = Service(web, smtp, ScoringBackends.Sqlite);
        var worker = factory.Services.GetRequiredService<HandoffWorker>();
        var outbox = factory.Services.GetRequiredService<IHandoffOutbox>();
        await factory.PostBatchAsync(Dental(
            s_t0,
            Identify("dd1:r-i", "dd1:r-user", null, s_t0, new { insurance_status = "in_network", patient_status = "new" }, new { in_service_area = true, email_valid = true }),
            Track("dd1:r-a", "dd1:r-user", "Appointment Requested", s_t0, new { location_id = "back-bay" })));

        await worker.RunOnceAsync(CancellationToken.None);
        var hook = Assert.Single(await outbox.ListAsync("demo-dental", CancellationToken.None), m => m.Message.Destination == "practice-hook");
        Assert.Equal((1, s_t0.AddSeconds(30), "HTTP 503", (DateTimeOffset?)null), (hook.Attempts, hook.NextAttemptAt, hook.LastStatus, hook.DeliveredAt));

        // Not before its time: the backoff is 30 s, then 1 min.
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, calls);
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await worker.RunOnceAsync(CancellationToken.None);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        await worker.RunOnceAsync(CancellationToken.None);

        var attempts = web.Requests.Where(r => r.PathAndQuery == "/hooks/leads").ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Header("webhook-id")).Distinct());
        Assert.Equal([s_t0, s_t0.AddSeconds(30), s_t0.AddSeconds(90)], attempts.Select(a => DateTimeOffset.FromUnixTimeSeconds(long.Parse(a.Header("webhook-timestamp")!, CultureInfo.InvariantCulture))));
        Assert.All(attempts, a => Assert.Equal(Sign(a), a.Header("webhook-signature")));
        hook = Assert.Single(await outbox.ListAsync("demo-dental", CancellationToken.None), m => m.Message.Destination == "practice-hook");
        Assert.Equal((3, "HTTP 200"), (hook.Attempts, hook.LastStatus));
        Assert.NotNull(hook.DeliveredAt);

        // A 400 means the receiver will never take it: given up at once, not retried.
        web.Respond = r => r.PathAndQuery == "/hooks/leads" ? 400 : 200;
        await factory.ApiClientWithKey().PostAsJsonAsync(Lead("dd1:r-user") + "/disqualify", new { reason = "duplicate", actor = "fd-7" });
        await worker.RunOnceAsync(CancellationToken.None);
        var refused = (await outbox.ListAsync("demo-dental", CancellationToken.None)).Single(m => m.Message.Destination == "practice-hook" && m.Message.Kind == HandoffKinds.StageChanged);
        Assert.Equal((1, "HTTP 400"), (refused.Attempts, refused.LastStatus));
        Assert.NotNull(refused.FailedAt);
    }

    [Fact]
    public void Destinations_AreValidatedAtStart_EveryProblemAtOnce_WithoutTheirSecrets()
    {
        using var factory = new ScoringServiceFactory(new Dictionary<string, string?>
        {
            ["Handoffs:Destinations:hook:Practice"] = "demo-dental",
            ["Handoffs:Destinations:hook:Kind"] = "webhook",
            ["Handoffs:Destinations:hook:Url"] = "http://crm.example/hooks",
            ["Handoffs:Destinations:hook:SecretFile"] = Path.Combine(_secrets, "missing.key"),
            ["Handoffs:Destinations:mail:Practice"] = "demo-dental",
            ["Handoffs:Destinations:mail:Kind"] = "email",
            ["Handoffs:Destinations:mail:SmtpHost"] = "smtp.example",
            ["Handoffs:Destinations:mail:StartTls"] = "false",
            ["Handoffs:Destinations:mail:From"] = "scoring@harborview.example",
            ["Handoffs:Destinations:pager:Practice"] = "demo-dental",
            ["Handoffs:Destinations:pager:Kind"] = "pager",
            ["Handoffs:Destinations:pager:Events:0"] = "mql_created",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var message = error.ToString();
        foreach (var expected in new[]
        {
            "Handoffs:Destinations:hook:Url must be an absolute https URL (http only to a loopback address).",
            $"Handoffs:Destinations:hook:SecretFile ({Path.Combine(_secrets, "missing.key")}) does not exist.",
            "Handoffs:Destinations:mail:StartTls may be off only for a loopback SMTP host: hand-offs are not sent in the clear.",
            "Handoffs:Destinations:mail:To must list one or more email addresses.",
            "Handoffs:Destinations:pager:Events: 'mql_created' is not one of mql, sla_breach, stage_changed.",
            "Handoffs:Destinations:pager:Kind must be one of webhook, slack, email, hubspot, salesforce.",
        })
        {
            Assert.Contains(expected, message, StringComparison.Ordinal);
        }
    }

    /// <summary>Salesforce as documented: updateOnly on an unknown external id is 404; an upsert creates (201), then updates (204).</summary>
    private static int SalesforceAnswer(ReceivedRequest request, HashSet<string> records)
    {
        if (!request.PathAndQuery.StartsWith("/services/data/", StringComparison.Ordinal))
        {
            return 200;
        }

        var path = request.PathAndQuery.Split('?')[0];
        if (request.PathAndQuery.EndsWith("?updateOnly=true", StringComparison.Ordinal))
        {
            return records.Contains(path) ? 204 : 404;
        }

        return records.Add(path) ? 201 : 204;
    }

    private static string Sign(ReceivedRequest request) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(s_webhookKey, Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.{request.Body}")));

    private ScoringServiceFactory Service(HttpReceiver web, SmtpReceiver smtp, string backend) => new(new Dictionary<string, string?>
    {
        ["Handoffs:PollSeconds"] = "3600",
        ["Handoffs:Destinations:practice-hook:Practice"] = "demo-dental",
        ["Handoffs:Destinations:practice-hook:Kind"] = "webhook",
        ["Handoffs:Destinations:practice-hook:Url"] = new Uri(web.Address, "/hooks/leads").ToString(),
        ["Handoffs:Destinations:practice-hook:SecretFile"] = Path.Combine(_secrets, "webhook.key"),
        ["Handoffs:Destinations:front-desk-slack:Practice"] = "demo-dental",
        ["Handoffs:Destinations:front-desk-slack:Kind"] = "slack",
        ["Handoffs:Destinations:front-desk-slack:UrlFile"] = Path.Combine(_secrets, "slack.url"),
        ["Handoffs:Destinations:front-desk-slack:Events:0"] = HandoffKinds.Mql,
        ["Handoffs:Destinations:front-desk-slack:Events:1"] = HandoffKinds.SlaBreach,
        ["Handoffs:Destinations:front-desk-email:Practice"] = "demo-dental",
        ["Handoffs:Destinations:front-desk-email:Kind"] = "email",
        ["Handoffs:Destinations:front-desk-email:SmtpHost"] = "127.0.0.1",
        ["Handoffs:Destinations:front-desk-email:SmtpPort"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Handoffs:Destinations:front-desk-email:StartTls"] = "false",
        ["Handoffs:Destinations:front-desk-email:From"] = "scoring@harborview.example",
        ["Handoffs:Destinations:front-desk-email:To:0"] = "frontdesk@harborview.example",
        ["Handoffs:Destinations:front-desk-email:UserName"] = "scoring",
        ["Handoffs:Destinations:front-desk-email:PasswordFile"] = Path.Combine(_secrets, "smtp.password"),
        ["Handoffs:Destinations:front-desk-email:Events:0"] = HandoffKinds.Mql,
        ["Handoffs:Destinations:front-desk-email:Events:1"] = HandoffKinds.SlaBreach,
        ["Handoffs:Destinations:hubspot:Practice"] = "demo-dental",
        ["Handoffs:Destinations:hubspot:Kind"] = "hubspot",
        ["Handoffs:Destinations:hubspot:Url"] = web.Address.ToString(),
        ["Handoffs:Destinations:hubspot:SecretFile"] = Path.Combine(_secrets, "hubspot.token"),
        ["Handoffs:Destinations:salesforce:Practice"] = "demo-dental",
        ["Handoffs:Destinations:salesforce:Kind"] = "salesforce",
        ["Handoffs:Destinations:salesforce:Url"] = web.Address.ToString(),
        ["Handoffs:Destinations:salesforce:SecretFile"] = Path.Combine(_secrets, "salesforce.token"),
    }, backend: backend);
}
