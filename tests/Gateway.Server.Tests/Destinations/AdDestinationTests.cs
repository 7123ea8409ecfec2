using System.Net;
using System.Text.Json.Nodes;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Destinations;
using Gateway.Compliance.Pseudonyms;
using Gateway.Server.Tests.Hosting;
using Gateway.Server.Tests.Support;
using Gateway.Storage.Outbox;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Server.Tests.Destinations;

/// <summary>
/// Meta and Google ad destinations end to end: Segment API in, the dental policy with its ad destinations switched on,
/// fake platforms on loopback that check the documented request shape. Canary PHI is planted in every event.
/// </summary>
public class AdDestinationTests
{
    private const string Email = "Maria.Canary+ads@Gmail.com";
    private const string Phone = "(617) 555-0187";
    private const string FirstName = "Mariacanary";
    private const string Fbclid = "IwAR0canaryFbclid123";
    private const string Gclid = "Cj0KCQcanaryGclid456";
    private const string Note = "Mariacanary has a cracked molar near 42 Canarystreet Rd";

    private sealed class Setup(GatewayHarness gateway, FakeAdPlatforms platforms) : IAsyncDisposable
    {
        public GatewayHarness Gateway { get; } = gateway;

        public FakeAdPlatforms Platforms { get; } = platforms;

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Platforms.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(string metaMode = "deidentified", bool dryRun = false, bool withBaa = true)
    {
        var platforms = await FakeAdPlatforms.StartAsync();
        var policies = StartupTests.CopyPolicies();
        var dental = Path.Combine(policies, "dental", "policy.yaml");
        var text = File.ReadAllText(dental).Replace("enabled: false", "enabled: true", StringComparison.Ordinal)
            .Replace("    mode: deidentified\n", $"    mode: {metaMode}\n{(dryRun ? "    dryRun: true\n" : string.Empty)}", StringComparison.Ordinal);
        File.WriteAllText(dental, text);
        var secrets = Path.Combine(Path.GetDirectoryName(policies)!, "secrets");
        Directory.CreateDirectory(secrets);
        File.WriteAllText(Path.Combine(secrets, "meta-token"), FakeAdPlatforms.MetaToken);
        File.WriteAllText(Path.Combine(secrets, "google-token"), FakeAdPlatforms.GoogleToken);
        File.WriteAllText(Path.Combine(secrets, "google-developer-token"), FakeAdPlatforms.GoogleDeveloperToken);
        var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = policies,
            ["Gateway:Outbox:MinBackoffSeconds"] = "0.2",
            ["Gateway:Outbox:MaxBackoffSeconds"] = "0.5",
            ["ReverseProxy:Clusters:meta:Destinations:graph:Address"] = platforms.Address.ToString(),
            ["ReverseProxy:Clusters:google-ads:Destinations:googleads:Address"] = platforms.Address.ToString(),
            ["Gateway:Practices:0:Domains:0"] = "smile.example",
            ["Gateway:Practices:0:Platforms:meta:PixelId"] = "1234567890",
            ["Gateway:Practices:0:Platforms:meta:AccessTokenFile"] = Path.Combine(secrets, "meta-token"),
            ["Gateway:Practices:0:Platforms:google-ads:CustomerId"] = "123-456-7890",
            ["Gateway:Practices:0:Platforms:google-ads:ConversionActions:appointment_request"] = "customers/1234567890/conversionActions/555",
            ["Gateway:Practices:0:Platforms:google-ads:ConversionActions:guide_download"] = "customers/1234567890/conversionActions/556",
            ["Gateway:Practices:0:Platforms:google-ads:AccessTokenFile"] = Path.Combine(secrets, "google-token"),
            ["Gateway:Practices:0:Platforms:google-ads:DeveloperTokenFile"] = Path.Combine(secrets, "google-developer-token"),
        }, withBaa: withBaa);
        return new Setup(gateway, platforms);
    }

    private static JsonObject Appointment(string userId, bool advertising = true, string? messageId = null)
    {
        var e = Events.Track("Appointment Requested", new JsonObject
        {
            ["service_line"] = "implants",
            ["first_name"] = FirstName,
            ["email"] = Email,
            ["phone"] = Phone,
            ["notes"] = Note,
        }, messageId, userId);
        e["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        e["context"]!["consent"] = Events.Consent(analytics: true, advertising: advertising);
        e["context"]!["traits"] = new JsonObject { ["email"] = Email, ["phone"] = Phone, ["first_name"] = FirstName };
        e["context"]!["ip"] = "203.0.113.77";
        e["context"]!["userAgent"] = "Mozilla/5.0 (CanaryPhone; Mariacanary)";
        e["context"]!["page"] = new JsonObject
        {
            ["url"] = $"https://smile.example/book?fbclid={Fbclid}&gclid={Gclid}&email={Uri.EscapeDataString(Email)}",
            ["path"] = "/book",
        };
        return e;
    }

    /// <summary>Every planted value, and every hash a platform would recognize, must stay out of a de-identified request.</summary>
    private static IEnumerable<string> Canaries(JsonObject e) =>
    [
        Email, Email.ToLowerInvariant(), "maria.canary", FirstName, Phone, "6175550187", Fbclid, Gclid, "203.0.113", "CanaryPhone", "Canarystreet", "cracked",
        (string)e["userId"]!, (string)e["messageId"]!,
        AdIdentifierHashing.MetaEmail(Email)!, AdIdentifierHashing.MetaPhone(Phone)!, AdIdentifierHashing.GoogleEmail(Email)!, AdIdentifierHashing.GooglePhone(Phone)!,
    ];

    private static async Task<HttpResponseMessage> SendAsync(Setup setup, JsonObject e)
    {
        var response = await setup.Gateway.Client().PostAsync("track", e);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task<IReadOnlyList<PendingCount>> PendingAsync(Setup setup, string destination) =>
        [.. (await setup.Gateway.Services.GetRequiredService<IOutboxStore>().PendingAsync()).Where(p => p.Destination == destination && p.Count > 0)];

    private static IEnumerable<JsonObject> Deliveries(GatewayHarness gateway, string destination, bool delivered) =>
        gateway.AuditRecords().Where(r => (string?)r["kind"] == "delivery" && (string?)r["destination"] == destination && (bool?)r["delivered"] == delivered);

    private static IEnumerable<string> MessageIds(IEnumerable<JsonObject> deliveries) =>
        deliveries.SelectMany(d => d["messageIds"]!.AsArray().Select(i => (string)i!));

    private static JsonObject EventRecord(GatewayHarness gateway, int index = 0) =>
        gateway.AuditRecords().Where(r => (string?)r["kind"] == "event").ElementAt(index);

    private static JsonObject? Decision(JsonObject record, string destination) =>
        record["destinations"]!.AsArray().Select(d => d!.AsObject()).FirstOrDefault(d => (string?)d["name"] == destination);

    [Fact]
    public async Task DeidentifiedMode_SendsMetaANeutralConversion_WithNoIdentifierOfAnyKind_WhileScoringGetsItsOwnForm()
    {
        await using var setup = await StartAsync();
        var e = Appointment("canary-user-1");
        await SendAsync(setup, e);
        await Wait.UntilAsync(() => setup.Platforms.MetaRequests.Count > 0, "the platforms and the audit to catch up", 10);

        var conversion = Assert.Single(setup.Platforms.MetaEvents);
        Assert.Equal("Schedule", (string?)conversion["event_name"]);
        Assert.Equal(0, (long)conversion["event_time"]! % 86400);
        Assert.Equal("other", (string?)conversion["action_source"]);
        Assert.Equal("https://smile.example/", (string?)conversion["event_source_url"]);
        var userData = conversion["user_data"]!.AsObject();
        Assert.Equal(["external_id"], userData.Select(p => p.Key));
        Assert.Empty(setup.Platforms.Violations);
        var request = setup.Platforms.MetaRequests[0];
        Assert.Equal("/v24.0/1234567890/events", request.PathAndQuery);
        foreach (var canary in Canaries(e))
        {
            Assert.DoesNotContain(canary, request.Body, StringComparison.OrdinalIgnoreCase);
        }

        // Google needs an identifier: without an authorization nothing is queued or sent, and the audit says why.
        Assert.Empty(await PendingAsync(setup, "google-ads"));
        Assert.Empty(setup.Platforms.GoogleRequests);
        var record = EventRecord(setup.Gateway);
        Assert.Equal("forward", (string?)Decision(record, "meta")!["outcome"]);
        Assert.Equal("deidentified", (string?)Decision(record, "meta")!["mode"]);
        Assert.Equal("identifier-required", (string?)Decision(record, "google-ads")!["reason"]);
        Assert.Equal("forward", (string?)Decision(record, "scoring")!["outcome"]);
        await Wait.UntilAsync(() => setup.Gateway.Upstream.Events.Count > 0, "the platforms and the audit to catch up", 5);

        // The access token is in the request body only: never in a log or audit line.
        await Wait.UntilAsync(() => setup.Gateway.AuditRecords().Any(r => (string?)r["kind"] == "delivery" && (string?)r["destination"] == "meta" && (bool?)r["delivered"] == true), "the platforms and the audit to catch up", 10);
        var written = setup.Gateway.ReadAllAuditAndLogs();
        Assert.DoesNotContain(FakeAdPlatforms.MetaToken, written);
        foreach (var canary in Canaries(e).Where(c => c != (string)e["userId"]! && c != (string)e["messageId"]!))
        {
            Assert.DoesNotContain(canary, written, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AuthorizedMode_SendsEachPlatformsOwnHashes_OnlyForSubjectsWithAHipaaAuthorization_AndRevocationStopsTheNextEvent()
    {
        await using var setup = await StartAsync(metaMode: "authorized");
        Assert.Equal(HttpStatusCode.Created, (await setup.Gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "authorized-user", "hipaa_authorization", "granted")).StatusCode);

        var authorized = Appointment("authorized-user");
        var other = Appointment("unauthorized-user");
        await SendAsync(setup, authorized);
        await SendAsync(setup, other);
        await Wait.UntilAsync(() => setup.Platforms.MetaEvents.Count() >= 2 && setup.Platforms.GoogleConversions.Any(), "the platforms and the audit to catch up", 10);
        Assert.Empty(setup.Platforms.Violations);

        var metaAuthorized = setup.Platforms.MetaEvents.Single(c => c["user_data"]!["em"] is not null);
        Assert.Equal(AdIdentifierHashing.MetaEmail(Email), (string?)metaAuthorized["user_data"]!["em"]![0]);
        Assert.Equal("62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f", AdIdentifierHashing.MetaEmail("  John_Smith@gmail.com "));
        Assert.Equal(AdIdentifierHashing.MetaPhone(Phone), (string?)metaAuthorized["user_data"]!["ph"]![0]);
        Assert.EndsWith("." + Fbclid, (string?)metaAuthorized["user_data"]!["fbc"]);
        Assert.Equal((string?)authorized["messageId"], (string?)metaAuthorized["event_id"]);

        var metaOther = setup.Platforms.MetaEvents.Single(c => c["user_data"]!["em"] is null);
        foreach (var canary in Canaries(other))
        {
            Assert.DoesNotContain(canary, metaOther.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }

        var google = Assert.Single(setup.Platforms.GoogleConversions);
        Assert.Equal("customers/1234567890/conversionActions/555", (string?)google["conversionAction"]);
        Assert.Equal(Gclid, (string?)google["gclid"]);
        Assert.Equal(AdIdentifierHashing.GoogleEmail(Email), (string?)google["userIdentifiers"]![0]!["hashedEmail"]);
        Assert.Equal(AdIdentifierHashing.Sha256Hex("mariacanary+ads@gmail.com"), (string?)google["userIdentifiers"]![0]!["hashedEmail"]);
        Assert.Equal(AdIdentifierHashing.Sha256Hex("+16175550187"), (string?)google["userIdentifiers"]![1]!["hashedPhoneNumber"]);
        Assert.Equal("GRANTED", (string?)google["consent"]!["adUserData"]);
        Assert.Equal("/v22/customers/1234567890:uploadClickConversions", setup.Platforms.GoogleRequests[0].PathAndQuery);
        Assert.Equal("https://smile.example/book", (string?)metaAuthorized["event_source_url"]);
        var written = setup.Gateway.ReadAllAuditAndLogs();
        foreach (var secret in new[] { FakeAdPlatforms.MetaToken, FakeAdPlatforms.GoogleToken, FakeAdPlatforms.GoogleDeveloperToken, Email, Phone, Fbclid, Gclid,
            AdIdentifierHashing.MetaEmail(Email)!, AdIdentifierHashing.GoogleEmail(Email)! })
        {
            Assert.DoesNotContain(secret, written, StringComparison.OrdinalIgnoreCase);
        }

        // The authorization is revoked: the very next event goes de-identified to Meta, and not at all to Google.
        Assert.Equal(HttpStatusCode.Created, (await setup.Gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "authorized-user", "hipaa_authorization", "revoked")).StatusCode);
        var after = Appointment("authorized-user");
        await SendAsync(setup, after);
        await Wait.UntilAsync(() => setup.Platforms.MetaEvents.Count() >= 3, "the platforms and the audit to catch up", 10);
        var last = setup.Platforms.MetaEvents.Last();
        Assert.Null(last["user_data"]!["em"]);
        Assert.NotEqual((string?)after["messageId"], (string?)last["event_id"]);
        Assert.Empty(await PendingAsync(setup, "google-ads"));
        Assert.Single(setup.Platforms.GoogleConversions);
        var record = EventRecord(setup.Gateway, 2);
        Assert.Equal("deidentified", (string?)Decision(record, "meta")!["mode"]);
        Assert.Equal("identifier-required", (string?)Decision(record, "google-ads")!["reason"]);

        // The authorized disclosures appear in the accounting of disclosures, per destination.
        var ring = new PseudonymKeyRing(new PseudonymKey("t0", GatewayHarness.DentalSecret, GatewayHarness.DentalPractice, PseudonymDerivation.PracticeScoped), []);
        var subjects = SubjectPseudonyms.Candidates(ring, SubjectIdentifierKind.UserId, "authorized-user").ToHashSet(StringComparer.Ordinal);
        await Wait.UntilAsync(() => DisclosureAccounting.Account(new AuditReader([setup.Gateway.AuditPath]), GatewayHarness.DentalPractice, subjects)
            .Disclosures.Count(d => d.Destination is "meta" or "google-ads") >= 3, "the platforms and the audit to catch up", 10);
    }

    [Fact]
    public async Task AdvertisingConsentMissing_DropsTheAdConversions_ButScoringStillReceivesItsForm()
    {
        await using var setup = await StartAsync();
        await SendAsync(setup, Appointment("no-ads-user", advertising: false));

        // Conversions are queued before the client is answered: none queued and none sent means none will be.
        Assert.Empty(await PendingAsync(setup, "meta"));
        Assert.Empty(setup.Platforms.MetaRequests);
        await Wait.UntilAsync(() => setup.Gateway.Upstream.Events.Count > 0, "the platforms and the audit to catch up", 5);
        var record = EventRecord(setup.Gateway);
        Assert.Equal("consent-missing", (string?)Decision(record, "meta")!["reason"]);
        Assert.Equal("forward", (string?)Decision(record, "scoring")!["outcome"]);
    }

    [Fact]
    public async Task WithoutABaaForScoring_ScoringGetsNothing_WhileMetaStillGetsItsDeidentifiedConversion()
    {
        await using var setup = await StartAsync(withBaa: false);
        await SendAsync(setup, Appointment("no-baa-user"));
        await Wait.UntilAsync(() => setup.Platforms.MetaRequests.Count > 0, "the Meta conversion", 10);
        var record = EventRecord(setup.Gateway);
        Assert.Equal("baa-missing", (string?)Decision(record, "scoring")!["reason"]);
        Assert.Equal("forward", (string?)Decision(record, "meta")!["outcome"]);
        Assert.Empty(await PendingAsync(setup, "scoring"));
        Assert.Empty(setup.Gateway.Upstream.Events);
        Assert.Null(Assert.Single(setup.Platforms.MetaEvents)["user_data"]!["em"]);
    }

    [Fact]
    public async Task Throttling_And5xx_AreRetried_UntilThePlatformTakesTheConversion()
    {
        await using var setup = await StartAsync();
        var answers = new Queue<(int, string, int?)?>([
            (429, """{"error":{"message":"x","code":4}}""", 1),
            (400, """{"error":{"message":"User request limit reached","type":"OAuthException","code":17,"error_subcode":2446079}}""", null),
            (503, "{}", null),
        ]);
        var times = new System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset>();
        setup.Platforms.Override = _ =>
        {
            times.Enqueue(DateTimeOffset.UtcNow);
            return answers.TryDequeue(out var answer) ? answer : null;
        };
        await SendAsync(setup, Appointment("retry-user"));
        await Wait.UntilAsync(() => setup.Gateway.AuditRecords().Any(r => (string?)r["kind"] == "delivery" && (string?)r["destination"] == "meta" && (bool?)r["delivered"] == true), "the platforms and the audit to catch up", 20);
        Assert.Equal(4, setup.Platforms.MetaRequests.Count);

        // The 429 asked for a second; the backoff alone (0.2-0.5 s here) would have come back sooner.
        var at = times.ToArray();
        Assert.True(at[1] - at[0] >= TimeSpan.FromSeconds(0.9), $"retried {(at[1] - at[0]).TotalMilliseconds:N0} ms after a 429 with Retry-After: 1");
        Assert.Empty(await setup.Gateway.Services.GetRequiredService<IOutboxStore>().DeadLettersAsync(GatewayHarness.DentalPractice));
    }

    [Fact]
    public async Task ARefusedConversion_BecomesADeadLetterOfItsDestinationOnly_AndTheOthersInItsBatchAreDelivered()
    {
        await using var setup = await StartAsync(metaMode: "authorized");
        await setup.Gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "dead-user", "hipaa_authorization", "granted");
        var refused = Appointment("dead-user");
        var taken = Appointment("dead-user");
        setup.Platforms.GoogleRefusedOrders[(string)refused["messageId"]!] = true;

        // Meta refuses any request holding the refused event (authorized rows carry the client's message id), as Meta refuses a whole batch.
        setup.Platforms.Override = r => r.PathAndQuery.EndsWith("/events", StringComparison.Ordinal) && r.Body.Contains((string)refused["messageId"]!, StringComparison.Ordinal)
            ? (400, """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2804019}}""", null)
            : null;
        Assert.Equal(HttpStatusCode.OK, (await setup.Gateway.Client().PostAsync("batch", Events.Batch(refused, taken))).StatusCode);
        var store = setup.Gateway.Services.GetRequiredService<IOutboxStore>();
        await Wait.UntilAsync(async () => (await store.DeadLettersAsync(GatewayHarness.DentalPractice)).Count >= 2
            && Deliveries(setup.Gateway, "meta", true).Any() && Deliveries(setup.Gateway, "google-ads", true).Any(), "the dead letters and deliveries", 20);

        var refusedId = (string)EventRecord(setup.Gateway, 0)["messageId"]!;
        var takenId = (string)EventRecord(setup.Gateway, 1)["messageId"]!;
        var dead = await store.DeadLettersAsync(GatewayHarness.DentalPractice);
        var meta = Assert.Single(dead, d => d.Entry.Destination == "meta");
        Assert.Equal(refusedId, meta.Entry.MessageId);
        Assert.StartsWith("refused-400", meta.Reason, StringComparison.Ordinal);
        var google = Assert.Single(dead, d => d.Entry.Destination == "google-ads");
        Assert.Equal(refusedId, google.Entry.MessageId);
        Assert.Equal("refused-row: conversionUploadError:CLICK_NOT_FOUND", google.Reason);
        Assert.DoesNotContain(dead, d => d.Entry.Destination == "scoring");

        Assert.Equal([takenId], MessageIds(Deliveries(setup.Gateway, "meta", true)));
        Assert.Equal([takenId], MessageIds(Deliveries(setup.Gateway, "google-ads", true)));
        Assert.Equal(2, setup.Gateway.Upstream.Events.Count);

        // The platforms read the refused conversion before refusing it: the accounting of disclosures lists it too.
        var ring = new PseudonymKeyRing(new PseudonymKey("t0", GatewayHarness.DentalSecret, GatewayHarness.DentalPractice, PseudonymDerivation.PracticeScoped), []);
        var subjects = SubjectPseudonyms.Candidates(ring, SubjectIdentifierKind.UserId, "dead-user").ToHashSet(StringComparer.Ordinal);
        await Wait.UntilAsync(() => setup.Gateway.AuditRecords().Count(r => (bool?)r["transmitted"] == true) == 2, "the transmitted records", 10);
        var accounted = DisclosureAccounting.Account(new AuditReader([setup.Gateway.AuditPath]), GatewayHarness.DentalPractice, subjects).Disclosures;
        foreach (var destination in new[] { "meta", "google-ads" })
        {
            Assert.Equal(new[] { refusedId, takenId }.Order(StringComparer.Ordinal), accounted.Where(d => d.Destination == destination).Select(d => d.MessageId).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task AnAuthorizationWithdrawnWhileAConversionWaits_StopsItFromGoing()
    {
        await using var setup = await StartAsync(metaMode: "authorized");
        await setup.Gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "waiting-user", "hipaa_authorization", "granted");
        setup.Platforms.Override = _ => (503, "{}", null);
        await SendAsync(setup, Appointment("waiting-user"));
        await Wait.UntilAsync(() => setup.Platforms.MetaRequests.Count > 0 && setup.Platforms.GoogleRequests.Count > 0, "a first, failed attempt", 10);

        Assert.Equal(HttpStatusCode.Created, (await setup.Gateway.RecordConsentAsync(GatewayHarness.DentalPractice, "waiting-user", "hipaa_authorization", "revoked")).StatusCode);
        var (metaBefore, googleBefore) = (setup.Platforms.MetaRequests.Count, setup.Platforms.GoogleRequests.Count);
        setup.Platforms.Override = _ => null;
        var store = setup.Gateway.Services.GetRequiredService<IOutboxStore>();
        await Wait.UntilAsync(async () => (await store.DeadLettersAsync(GatewayHarness.DentalPractice)).Count(d => d.Reason == "authorization-withdrawn") == 2, "the withdrawn conversions", 20);
        Assert.DoesNotContain(setup.Platforms.MetaRequests.Skip(metaBefore), r => r.Body.Contains("\"em\"", StringComparison.Ordinal));
        Assert.Empty(setup.Platforms.GoogleRequests.Skip(googleBefore));
        Assert.Empty(Deliveries(setup.Gateway, "meta", true));
        Assert.Empty(Deliveries(setup.Gateway, "google-ads", true));
    }

    [Fact]
    public async Task DryRun_DecidesAndAudits_ButSendsNothing()
    {
        await using var setup = await StartAsync(dryRun: true);
        await SendAsync(setup, Appointment("dry-user"));
        Assert.Empty(await PendingAsync(setup, "meta"));
        Assert.Empty(setup.Platforms.MetaRequests);
        await Wait.UntilAsync(() => setup.Gateway.Upstream.Events.Count > 0, "the platforms and the audit to catch up", 5);
        var decision = Decision(EventRecord(setup.Gateway), "meta")!;
        Assert.Equal("dry-run", (string?)decision["outcome"]);
        Assert.Equal("deidentified", (string?)decision["mode"]);
    }
}
