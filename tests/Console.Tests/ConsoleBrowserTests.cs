using System.Text.Json.Nodes;
using Gateway.Testing;
using Microsoft.Playwright;
using Pseudonyms = global::Gateway.Compliance.Pseudonyms;

namespace Console.Tests;

/// <summary>
/// The compliance console in Debian's chromium against the real gateway: sign-in and roles, the accounting
/// of disclosures with its CSV checked against the audit log, the BAA warning, a revocation by phone that
/// drops the next event, a quarantined event inspected (audited) and replayed, audit search and verification,
/// policies, and on every page: no canary in HTML, headers or the browser console, a strict CSP, and
/// accessibility basics (language, one h1, labelled controls, keyboard navigation).
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleStack stack) : IClassFixture<ConsoleStack>
{
    private static string Pseudonym(string practiceIndexSecret, string keyId, string practice, string userId) =>
        Pseudonyms.Pseudonymizer.Pseudonymize(
            new Pseudonyms.PseudonymKey(keyId, System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(practiceIndexSecret)), practice),
            userId, Pseudonyms.IdentifierNormalization.Exact);

    private static string DentalSubject(string userId) => Pseudonym("console-secret-0", "c0", ConsoleStack.Practice, userId);

    private int Reloads() => stack.AuditRecords().Count(r => (string?)r["action"] == "policies-reloaded");

    [Fact]
    public async Task SignIn_NeedsAnAdminKey_SetsAStrictSessionCookie_AndAuditsBoth()
    {
        await using var session = await stack.OpenAsync();
        var anonymous = await session.GotoAsync("/console/baas");
        Assert.EndsWith("/console/sign-in?returnUrl=%2Fconsole%2Fbaas", session.Page.Url);
        Assert.Equal(200, anonymous.Status);

        await session.Page.GetByLabel("Admin key").FillAsync("not-a-key-of-this-gateway");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#sign-in-error")).ToContainTextAsync("not an admin key");
        Assert.Contains(stack.AuditRecords(), r => (string?)r["kind"] == "auth-failure" && (string?)r["surface"] == "console");

        await session.Page.GetByLabel("Admin key").FillAsync(ConsoleStack.ComplianceKey);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await session.Page.WaitForURLAsync("**/console/baas");
        await Assertions.Expect(session.Page.Locator("header")).ToContainTextAsync("officer-compliance (compliance)");

        var cookie = Assert.Single(await session.Context.CookiesAsync(), c => c.Name == "__Secure-gateway-console");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/console", cookie.Path);
        Assert.Equal(-1, cookie.Expires);

        // A compliance key sees, but the add/terminate forms are not offered and a forged change is refused.
        Assert.Equal(0, await session.Page.GetByRole(AriaRole.Button, new() { Name = "Record agreement" }).CountAsync());
        var forged = await session.Page.APIRequest.PostAsync("/console/baas?handler=Terminate", new() { Form = session.Context.APIRequest.CreateFormData().Set("practice", ConsoleStack.Practice).Set("destination", "scoring") });
        Assert.Equal(400, forged.Status); // no anti-forgery token
        Assert.Contains("anti-forgery", await forged.TextAsync());

        await Wait.UntilAsync(() => stack.AuditRecords().Any(r => (string?)r["surface"] == "console" && (string?)r["key"] == "officer-compliance" && (string?)r["route"] == "/console/baas"), "the console page view in the audit log", 10);

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await session.Page.WaitForURLAsync("**/console/sign-in");
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "__Secure-gateway-console");
        await session.AssertNoCanariesAsync();
    }

    [Fact]
    public async Task Disclosures_FoundByEmail_ExportAsCsv_MatchingTheAuditLog()
    {
        await using var session = await stack.OpenAsync();
        await session.SignInAsync(ConsoleStack.ComplianceKey);
        await session.GotoAsync("/console/disclosures");
        await session.Page.GetByLabel("Practice").SelectOptionAsync(ConsoleStack.Practice);
        await session.Page.GetByLabel("Identifier kind").SelectOptionAsync("email");
        await session.Page.GetByLabel("Patient identifier").FillAsync(ConsoleStack.PatientEmail);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Find disclosures" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#disclosure-summary")).ToContainTextAsync("3 disclosure(s)");
        Assert.Equal(string.Empty, await session.Page.GetByLabel("Patient identifier").InputValueAsync());
        await session.ScreenshotAsync("disclosures");

        var download = await session.Page.RunAndWaitForDownloadAsync(() => session.Page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("disclosed_at,destination,practice", rows[0]);
        var header = rows[0].Split(',');
        var messageIds = rows.Skip(1).Select(r => r.Split(',')[Array.IndexOf(header, "message_id")]).ToHashSet();

        // The same disclosures the audit log holds: the patient's forwarded events with a delivered attempt.
        var subject = DentalSubject(ConsoleStack.PatientEmail);
        var audit = stack.AuditRecords();
        var forwarded = audit.Where(r => (string?)r["kind"] == "event" && (string?)r["subject"] == subject && (string?)r["outcome"] == "forward").Select(r => (string)r["messageId"]!).ToHashSet();
        var delivered = audit.Where(r => (string?)r["kind"] == "delivery" && (bool?)r["delivered"] == true).SelectMany(r => r["messageIds"]!.AsArray().Select(m => (string)m!)).ToHashSet();
        Assert.Equal(3, messageIds.Count);
        Assert.Equal(forwarded.Intersect(delivered).Order(), messageIds.Order());
        Assert.All(rows.Skip(1), r => Assert.Contains(",scoring,console-dental,dental,", r));
        foreach (var canary in ConsoleStack.Canaries)
        {
            Assert.DoesNotContain(canary, csv, StringComparison.OrdinalIgnoreCase);
        }

        // The printable page: the same rows, without navigation.
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Printable page" }).ClickAsync();
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Print or save as PDF" })).ToBeVisibleAsync();
        Assert.Equal(3, await session.Page.Locator("table tbody tr").CountAsync());
        Assert.Equal(0, await session.Page.Locator("header nav").CountAsync());

        // The identifier reached neither the audit log nor the gateway's logs; the look-up itself was audited.
        Assert.DoesNotContain(ConsoleStack.PatientEmail, stack.ReadAuditAndLogs(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(stack.AuditRecords(), r => (string?)r["surface"] == "console" && (string?)r["route"] == "/console/disclosures" && (string?)r["handler"] == "Csv");
        await session.AssertNoCanariesAsync();
    }

    [Fact]
    public async Task Overview_PutsTheBaaExpiryWarningFirst()
    {
        await using var session = await stack.OpenAsync();
        await session.SignInAsync(ConsoleStack.ComplianceKey);
        await session.GotoAsync("/console");
        var first = session.Page.Locator("ul.warnings li").First;
        await Assertions.Expect(first).ToContainTextAsync("console-health: the BAA for 'scoring' expires within 30 days");
        Assert.Contains("critical", await first.GetAttributeAsync("class") ?? string.Empty);
        await Assertions.Expect(session.Page.Locator("section[aria-labelledby=today-heading]")).ToContainTextAsync("forward");
        await session.ScreenshotAsync("overview");

        await session.GotoAsync("/console/baas?practice=console-health");
        await Assertions.Expect(session.Page.Locator("#baa-current")).ToContainTextAsync("in force");
        await Assertions.Expect(session.Page.Locator("#baa-current")).ToContainTextAsync("healthcare");
        await session.AssertNoCanariesAsync();
    }

    [Fact]
    public async Task ConsentRevokedByPhone_InTheConsole_DropsTheNextEvent()
    {
        const string userId = "revoke-canary-8812";
        var subject = DentalSubject(userId);
        using var ingest = stack.IngestClient();
        int EventsOf() => stack.AuditRecords().Count(r => (string?)r["kind"] == "event" && (string?)r["subject"] == subject);
        (await ingest.PostAsync("track", ConsoleStack.CanaryEvent(userId, "Service Page Viewed", consent: true))).EnsureSuccessStatusCode();
        (await ingest.PostAsync("track", ConsoleStack.CanaryEvent(userId, "Service Page Viewed", consent: false))).EnsureSuccessStatusCode();
        await Wait.UntilAsync(() => EventsOf() == 2, "the person's events in the audit log");
        Assert.All(stack.AuditRecords().Where(r => (string?)r["subject"] == subject), r => Assert.Equal("forward", (string?)r["outcome"]));

        await using var session = await stack.OpenAsync();
        await session.SignInAsync(ConsoleStack.AdminKey);
        await session.GotoAsync("/console/consent");
        await session.Page.GetByLabel("Identifier kind").SelectOptionAsync("user-id");
        await session.Page.GetByLabel("Patient identifier").FillAsync(userId);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Show consent" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#consent-current")).ToContainTextAsync("granted");
        await session.Page.GetByLabel("Purpose").SelectOptionAsync("analytics");
        await session.Page.GetByLabel("Received by", new() { Exact = true }).SelectOptionAsync("phone");
        await session.Page.GetByLabel("Reference (optional, no personal data)").FillAsync("call-2026-12-02");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Record revocation" }).ClickAsync();
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("'analytics' revoked (phone)");
        await Assertions.Expect(session.Page.Locator("#consent-history")).ToContainTextAsync("phone");
        await Assertions.Expect(session.Page.Locator("#consent-current tbody tr", new() { HasText = "analytics" })).ToContainTextAsync("not granted");
        await session.ScreenshotAsync("consent");

        var before = stack.Upstream.Events.Count;
        (await ingest.PostAsync("track", ConsoleStack.CanaryEvent(userId, "Service Page Viewed", consent: false))).EnsureSuccessStatusCode();
        await Wait.UntilAsync(() => EventsOf() == 3, "the next event in the audit log");
        var next = stack.AuditRecords().Last(r => (string?)r["kind"] == "event" && (string?)r["subject"] == subject);
        var decision = next["destinations"]!.AsArray().Single()!;
        Assert.NotEqual("forward", (string?)decision["outcome"]);
        Assert.Equal("consent-missing", (string?)decision["reason"]);
        Assert.Equal(before, stack.Upstream.Events.Count);
        await session.AssertNoCanariesAsync();
    }

    [Fact]
    public async Task QuarantinedEvent_InspectedAfterAnAuditedConfirmation_ThenReplayedOnceTheSchemaIsFixed()
    {
        using var ingest = stack.IngestClient();
        var invalid = Events.Track("Pricing Page Viewed", new JsonObject { ["service_line"] = "Teeth Whitening Deluxe", ["plan"] = "quarantine-canary-plan" }, "console-q-1");
        Assert.Equal(400, (int)(await ingest.PostAsync("track", invalid)).StatusCode);

        await using var compliance = await stack.OpenAsync();
        await compliance.SignInAsync(ConsoleStack.ComplianceKey);
        await compliance.GotoAsync("/console/quarantine?practice=" + ConsoleStack.Practice);
        await Assertions.Expect(compliance.Page.Locator("#quarantine-list")).ToContainTextAsync("properties.service_line");
        Assert.Equal(0, await compliance.Page.GetByRole(AriaRole.Link, new() { Name = "Inspect…" }).CountAsync());
        Assert.Equal(403, (await compliance.GotoAsync("/console/quarantine?practice=console-dental&handler=Confirm&id=1")).Status);
        await compliance.AssertNoCanariesAsync();

        await using var session = await stack.OpenAsync();
        await session.SignInAsync(ConsoleStack.AdminKey);
        await session.GotoAsync("/console/quarantine?practice=" + ConsoleStack.Practice);
        await session.ScreenshotAsync("quarantine");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Inspect…" }).First.ClickAsync();
        await Assertions.Expect(session.Page.Locator("#confirm-heading")).ToBeVisibleAsync();
        Assert.DoesNotContain("quarantine-canary-plan", await session.Page.ContentAsync());
        Assert.DoesNotContain(stack.AuditRecords(), r => (string?)r["action"] == "quarantine-inspect-confirmed");

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, show the event" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#revealed-event")).ToContainTextAsync("quarantine-canary-plan");
        var inspected = Assert.Single(stack.AuditRecords(), r => (string?)r["action"] == "quarantine-inspect-confirmed");
        Assert.Equal("officer-admin", (string?)inspected["key"]);
        Assert.DoesNotContain("quarantine-canary", stack.ReadAuditAndLogs());

        // Still invalid under the policy in force: the replay says why and the event stays.
        await session.GotoAsync("/console/quarantine?practice=" + ConsoleStack.Practice);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Replay quarantined event 1" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#action-result")).ToContainTextAsync("still invalid (properties.service_line");

        // Fix the schema (service lines may be written with capitals and spaces); the gateway reloads it.
        var reloads = Reloads();
        var envelope = Path.Combine(stack.PoliciesPath, "dental", "schemas", "envelope.schema.json");
        File.WriteAllText(envelope, File.ReadAllText(envelope).Replace(
            "\"description\": \"A dental service line",
            "\"pattern\": \"^[A-Za-z][A-Za-z _-]{0,63}$\", \"description\": \"A dental service line", StringComparison.Ordinal)
            .Replace("\"serviceLine\": {\n        \"type\": \"string\",\n        \"pattern\": \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\",", "\"serviceLine\": {\n        \"type\": \"string\",", StringComparison.Ordinal));
        await Wait.UntilAsync(() => Reloads() > reloads, "the policy reload", 20);

        var before = stack.Upstream.Events.Count;
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Replay quarantined event 1" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#action-result")).ToContainTextAsync("Replayed #1: forwarded");
        await Wait.UntilAsync(() => stack.Upstream.Events.Count == before + 1, "the replayed event at the destination");
        await Assertions.Expect(session.Page.Locator("#quarantine-list")).ToContainTextAsync("forwarded");
    }

    [Fact]
    public async Task DeadLetter_DiscardedWithAReason_IsGoneForGood_AndTheDiscardIsAudited()
    {
        using var admin = stack.AdminClient();
        async Task<JsonArray> DeadLetters() =>
            JsonNode.Parse(await admin.GetStringAsync($"/admin/v1/practices/{ConsoleStack.Practice}/dead-letters"))!.AsArray();

        stack.Upstream.Status = 400;
        try
        {
            using var ingest = stack.IngestClient();
            Assert.Equal(200, (int)(await ingest.PostAsync("track", Events.ServicePageViewed("console-dead-1"))).StatusCode);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await DeadLetters()).Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the refused event never reached the dead letters");
                await Task.Delay(200);
            }
        }
        finally
        {
            stack.Upstream.Status = 200;
        }

        var id = (long)(await DeadLetters()).Single()!["id"]!;
        await using var session = await stack.OpenAsync();
        await session.SignInAsync(ConsoleStack.AdminKey);
        await session.GotoAsync("/console/quarantine?practice=" + ConsoleStack.Practice);
        await session.Page.GetByLabel($"Why discard dead letter {id}").SelectOptionAsync("test-event");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = $"Discard dead letter {id}" }).ClickAsync();

        await Assertions.Expect(session.Page.Locator("#action-result")).ToContainTextAsync($"Discarded dead letter #{id} (test-event)");
        Assert.Empty(await DeadLetters());
        Assert.Equal(0, await session.Page.GetByRole(AriaRole.Button, new() { Name = $"Discard dead letter {id}" }).CountAsync());
        Assert.Single(stack.AuditRecords(), r => (string?)r["action"] == "dead-letter-discarded");
        await session.AssertNoCanariesAsync();
    }

    [Fact]
    public async Task AuditSearch_ShowsFieldActionsWithoutValues_AndVerifiesTheChain()
    {
        await using var session = await stack.OpenAsync();
        await session.SignInAsync(ConsoleStack.ComplianceKey);
        await session.GotoAsync($"/console/audit?practice={ConsoleStack.Practice}&outcome=forward");
        await Assertions.Expect(session.Page.Locator("#audit-matched")).ToContainTextAsync("record(s) matched");
        var details = session.Page.Locator("#audit-results details").First;
        await details.Locator("summary").ClickAsync();
        await Assertions.Expect(details.Locator("table.field-actions")).ToContainTextAsync("properties.service_line");

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify now" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#verify-result")).ToContainTextAsync("Passed", new() { Timeout = 30_000 });
        await Assertions.Expect(session.Page.Locator("#verify-result")).ToContainTextAsync("gw-console");
        await session.ScreenshotAsync("audit");
        await session.AssertNoCanariesAsync();
    }

    [Fact]
    public async Task Policies_ShowTheSha256InForce_DiffAVersionChange_AndExplainASampleWithoutEchoingIt()
    {
        await using var session = await stack.OpenAsync();
        await session.SignInAsync(ConsoleStack.ComplianceKey);
        await session.GotoAsync("/console/policies?vertical=healthcare");
        var audited = stack.AuditRecords().First(r => (string?)r["kind"] == "event" && (string?)r["vertical"] == "dental")["policy"]!;
        await Assertions.Expect(session.Page.Locator("#policies-in-force")).ToContainTextAsync((string)audited["sha256"]!);

        // A changed policy file (here only a comment) is reloaded: the two versions can be compared.
        var reloads = Reloads();
        var policy = Path.Combine(stack.PoliciesPath, "healthcare", "policy.yaml");
        File.AppendAllText(policy, "\n# reviewed in the compliance console test\n");
        await Wait.UntilAsync(() => Reloads() > reloads, "the policy reload", 20);
        await session.GotoAsync("/console/policies?vertical=healthcare");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#policy-diff")).ToContainTextAsync("fixtures");

        await session.Page.GetByLabel("Vertical").SelectOptionAsync("dental");
        var sample = ConsoleStack.CanaryEvent(ConsoleStack.PatientEmail, "Appointment Requested", consent: true,
            new JsonObject { ["service_line"] = "implants", ["email"] = ConsoleStack.PatientEmail, ["phone"] = "(617) 555-0147" });
        await session.Page.GetByLabel("Sample event (JSON)").FillAsync(sample.ToJsonString());
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();
        await Assertions.Expect(session.Page.Locator("#explanation")).ToContainTextAsync("the message id is always replaced by the practice's pseudonym");

        // The ad destinations' dry-run preview: the de-identified Meta conversion, and why Google gets nothing.
        await Assertions.Expect(session.Page.Locator("#ad-previews")).ToContainTextAsync("\"event_name\":\"Schedule\"");
        await Assertions.Expect(session.Page.Locator("#ad-previews")).ToContainTextAsync("identifier-required");
        Assert.Equal(string.Empty, await session.Page.GetByLabel("Sample event (JSON)").InputValueAsync());
        await session.ScreenshotAsync("policies");
        await session.AssertNoCanariesAsync();
    }

    [Fact]
    public async Task EveryPage_HasTheHeaders_NoCanary_AndAccessibilityBasics()
    {
        await using var session = await stack.OpenAsync();

        // Keyboard only: the sign-in form is reachable and submits with Enter.
        await session.GotoAsync("/console/sign-in");
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await session.Page.EvaluateAsync<string>("document.activeElement.textContent"));
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("key", await session.Page.EvaluateAsync<string>("document.activeElement.id"));
        await session.Page.Keyboard.TypeAsync(ConsoleStack.AdminKey);
        await session.Page.Keyboard.PressAsync("Enter");
        await session.Page.WaitForURLAsync(url => url.EndsWith("/console", StringComparison.Ordinal));

        foreach (var (path, name) in new[]
        {
            ("/console", "overview"), ("/console/disclosures", null), ("/console/consent", null), ("/console/baas", "baas"), ("/console/audit", null),
            ("/console/quarantine", null), ("/console/policies", null),
        })
        {
            var response = await session.GotoAsync(path);
            Assert.Equal(200, response.Status);
            var headers = await response.AllHeadersAsync();
            Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", headers["content-security-policy"]);
            Assert.Equal("no-store", headers["cache-control"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            Assert.Equal("en", await session.Page.GetAttributeAsync("html", "lang"));
            Assert.Equal(1, await session.Page.Locator("h1").CountAsync());
            Assert.Equal(1, await session.Page.Locator("main#main").CountAsync());

            // Every visible form control has an accessible name from a label (or aria-label).
            var unlabelled = await session.Page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                .map(e => e.name || e.id)");
            Assert.True(unlabelled.Length == 0, $"{path}: controls without a label: {string.Join(", ", unlabelled)}");
            Assert.Equal(0, await session.Page.Locator("table:not(:has(th))").CountAsync());

            // The skip link moves the keyboard focus to the content.
            await session.Page.Keyboard.PressAsync("Tab");
            await session.Page.Keyboard.PressAsync("Enter");
            Assert.Equal("main", await session.Page.EvaluateAsync<string>("document.activeElement.id"));
            if (name is not null && name != "overview")
            {
                await session.ScreenshotAsync(name);
            }
        }

        Assert.DoesNotContain(session.ConsoleMessages, m => m.StartsWith("error", StringComparison.Ordinal) || m.StartsWith("pageerror", StringComparison.Ordinal));
        await session.AssertNoCanariesAsync();
    }
}
