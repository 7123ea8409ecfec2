using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Ingest;

/// <summary>
/// Plants unique fake identifiers (canaries) of every kind in every kind of field, sends them through
/// every vertical and every way a request can end (forwarded, rejected, malformed, unauthenticated,
/// unlisted), and proves none comes out: not in what the destination receives, not in any response,
/// not in the audit files, not in the application logs.
/// </summary>
public class CanaryPhiTests
{
    /// <summary>Identifier types (Safe Harbor categories and tracking ids) and a unique canary value of each.</summary>
    private static readonly (string Type, string Value)[] s_identifiers =
    [
        ("first-name", "Zelphine"),
        ("last-name", "Quorraby"),
        ("email", "zelphine.quorraby@canary-mail.test"),
        ("phone", "(617) 555-0147"),
        ("ssn", "219-09-9999"),
        ("mrn", "MRN-8812734"),
        ("birth-date", "1938-02-17"),
        ("street", "4417 Wexcombe Avenue"),
        ("city", "Quillmouth"),
        ("zip5", "02141"),
        ("ipv4", "198.51.100.77"),
        ("ipv6", "2001:db8:ca7e::1234"),
        ("device-id", "dev-f00dcafe-7788"),
        ("advertising-id", "AD-0C0FFEE0-1234"),
        ("click-id", "gclid-CanaryXyZ123"),
        ("card", "4012 8888 8888 1881"),
        ("member-id", "MBR77120031"),
        ("user-id", "user-canary-5521"),
        ("anonymous-id", "anon-canary-9934"),
        ("message-id", "msgid-canary-7781"),
        ("referrer-query", "q=zelphine+quorraby"),
    ];

    private static string V(string type) => s_identifiers.Single(i => i.Type == type).Value;

    /// <summary>The field kinds canaries are planted in (for the coverage note).</summary>
    private static readonly System.Text.RegularExpressions.Regex s_birthYear = new(@"(?<![0-9A-Za-z.])1938(?![0-9A-Za-z]|\.[0-9])");

    private static readonly string[] s_fieldKinds =
    [
        "envelope ids", "named properties", "nested objects", "arrays", "URLs (query, path, referrer)", "free text",
        "unknown fields (top-level, properties, nested, context)", "SDK context fields", "request headers", "ingest URL query string",
        "event name (unlisted)", "schema-invalid values", "malformed JSON", "write key",
    ];

    private static JsonObject Context() => new()
    {
        ["ip"] = V("ipv4"),
        ["userAgent"] = "Mozilla/5.0 " + V("device-id"),
        ["locale"] = "en-US",
        ["timezone"] = "America/New_York",
        ["library"] = new JsonObject { ["name"] = "analytics.js", ["version"] = "next-1.72.0" },
        ["page"] = new JsonObject
        {
            ["url"] = $"https://smile.example/patients/{V("mrn")}/book?email={Uri.EscapeDataString(V("email"))}&{V("click-id")}#{V("last-name")}",
            ["path"] = $"/patients/{V("user-id")}/book",
            ["referrer"] = $"https://www.google.com/search?{V("referrer-query")}",
            ["search"] = $"?phone={Uri.EscapeDataString(V("phone"))}",
            ["title"] = $"Booking for {V("first-name")} {V("last-name")}",
        },
        ["campaign"] = new JsonObject { ["name"] = "fall_promo", ["source"] = "google", ["medium"] = "cpc", ["term"] = V("last-name") + " dentist", ["content"] = V("click-id") },
        ["device"] = new JsonObject { ["id"] = V("device-id"), ["advertisingId"] = V("advertising-id"), ["type"] = "ios" },
        ["location"] = new JsonObject { ["city"] = V("city"), ["latitude"] = 42.3601 },
        ["traits"] = new JsonObject { ["email"] = V("email"), ["phone"] = V("phone") },
        ["network"] = new JsonObject { ["carrier"] = V("city") },
        ["unknownContext"] = new JsonObject { ["deep"] = V("ssn") },
        ["ipv6"] = V("ipv6"),
        ["consent"] = new JsonObject { ["categoryPreferences"] = new JsonObject { ["Analytics"] = true, ["Advertising"] = true } },
    };

    private static string FreeText() =>
        $"Hi, my name is {V("first-name")} {V("last-name")}. Call {V("phone")} or email {V("email")}. " +
        $"DOB {V("birth-date")}, SSN {V("ssn")}, {V("mrn")}, member id {V("member-id")}. I live at {V("street")}, " +
        $"{V("zip5")}. Card {V("card")}. IP {V("ipv4")} / {V("ipv6")}. See https://portal.example/u/{V("user-id")}.";

    private static JsonObject Envelope(string type, string? eventName = null)
    {
        var e = new JsonObject
        {
            ["type"] = type,
            ["messageId"] = V("message-id") + "-" + Guid.NewGuid().ToString("N")[..6],
            ["userId"] = V("user-id"),
            ["anonymousId"] = V("anonymous-id"),
            ["timestamp"] = "2026-11-22T10:00:00.000Z",
            ["context"] = Context(),
            ["integrations"] = new JsonObject { ["All"] = true, ["Facebook Pixel"] = new JsonObject { ["fbp"] = V("click-id") } },
            ["unknownTopLevel"] = V("email"),
        };
        if (eventName is not null)
        {
            e["event"] = eventName;
        }

        return e;
    }

    private static JsonObject AppointmentRequested()
    {
        var e = Envelope("track", "Appointment Requested");
        e["properties"] = new JsonObject
        {
            ["service_line"] = "implants",
            ["first_name"] = V("first-name"),
            ["last_name"] = V("last-name"),
            ["name"] = V("first-name") + " " + V("last-name"),
            ["email"] = V("email"),
            ["phone"] = V("phone"),
            ["date_of_birth"] = V("birth-date"),
            ["zip"] = V("zip5"),
            ["insurance_provider"] = "Aetna " + V("member-id"),
            ["preferred_date"] = "2026-12-03",
            ["notes"] = FreeText(),
            ["ssn"] = V("ssn"),
            ["unknown_nested"] = new JsonObject { ["card"] = V("card"), ["list"] = new JsonArray(V("mrn"), V("street")) },
        };
        return e;
    }

    private static JsonObject Identify()
    {
        var e = Envelope("identify");
        e["traits"] = new JsonObject
        {
            ["email"] = V("email"),
            ["phone"] = V("phone"),
            ["first_name"] = V("first-name"),
            ["last_name"] = V("last-name"),
            ["birthday"] = V("birth-date"),
            ["address"] = new JsonObject { ["street"] = V("street"), ["city"] = V("city"), ["state"] = "MA", ["postal_code"] = V("zip5"), ["country"] = "US" },
            ["member_id"] = V("member-id"),
            ["mrn"] = V("mrn"),
            ["aliases"] = new JsonArray(V("email"), V("phone")),
            ["company"] = new JsonObject { ["name"] = V("last-name") + " Family Trust", ["employee_count"] = 40, ["org_type"] = "other" },
            ["title"] = "Owner " + V("last-name"),
        };
        return e;
    }

    private static JsonObject Referral()
    {
        var e = Envelope("track", "Referral Submitted");
        e["properties"] = new JsonObject
        {
            ["referral_source"] = "provider",
            ["patient_first_name"] = V("first-name"),
            ["patient_last_name"] = V("last-name"),
            ["patient_email"] = V("email"),
            ["patient_phone"] = V("phone"),
            ["patient_birthdate"] = V("birth-date"),
            ["notes"] = $"Referred by Dr. Alan Quorraby. Patient {V("first-name")} {V("last-name")}, {V("street")}.",
            ["items"] = new JsonArray(new JsonObject { ["sku"] = V("member-id") }),
        };
        return e;
    }

    private static JsonObject Page()
    {
        var e = Envelope("page");
        e["name"] = "Booking " + V("first-name");
        e["properties"] = new JsonObject
        {
            ["url"] = $"https://smile.example/u/{V("email")}?ssn={V("ssn")}",
            ["path"] = $"/u/{V("user-id")}",
            ["referrer"] = $"https://www.bing.com/search?{V("referrer-query")}",
            ["search"] = "?" + V("referrer-query"),
            ["title"] = V("first-name") + "'s portal",
            ["service_line"] = "implants",
        };
        return e;
    }

    private static JsonObject DemoRequested()
    {
        var e = Envelope("track", "Demo Requested");
        e["properties"] = new JsonObject
        {
            ["product"] = "remote-monitoring",
            ["org_type"] = "health_system",
            ["org_size"] = 5000,
            ["job_title"] = "VP " + V("last-name"),
            ["organization"] = V("last-name") + " Health",
            ["email"] = V("email"),
            ["phone"] = V("phone"),
            ["notes"] = FreeText(),
        };
        return e;
    }

    private static JsonObject Consultation()
    {
        var e = Envelope("track", "Consultation Requested");
        e["properties"] = new JsonObject
        {
            ["service_line"] = "behavioral_health",
            ["email"] = V("email"),
            ["date_of_birth"] = V("birth-date"),
            ["zip"] = V("zip5"),
            ["symptoms"] = FreeText(),
        };
        return e;
    }

    private static JsonObject Alias()
    {
        var e = Envelope("alias");
        e["previousId"] = V("anonymous-id");
        return e;
    }

    [Fact]
    public async Task NoCanary_LeavesTheGateway_AnywhereButScrubbedForms()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var responses = new StringBuilder();

        async Task Send(HttpClient client, string path, HttpContent content, HttpStatusCode? expected = null)
        {
            var response = await client.PostAsync(path, content);
            responses.AppendLine(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            responses.AppendLine(string.Join("\n", response.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value))));
            responses.AppendLine(await response.Content.ReadAsStringAsync());
            if (expected is { } status)
            {
                Assert.Equal(status, response.StatusCode);
            }
        }

        HttpClient ClientWithCanaryHeaders(string practice)
        {
            var client = gateway.Client(practice);
            client.DefaultRequestHeaders.Add("X-Patient", V("email"));
            client.DefaultRequestHeaders.Add("Cookie", "ajs_user_id=" + V("user-id"));
            client.DefaultRequestHeaders.Add("X-Forwarded-For", V("ipv4"));
            client.DefaultRequestHeaders.Referrer = new Uri($"https://smile.example/u/{V("last-name")}");
            return client;
        }

        var dental = ClientWithCanaryHeaders(GatewayHarness.DentalPractice);
        var healthcare = ClientWithCanaryHeaders(GatewayHarness.HealthcarePractice);
        var digital = ClientWithCanaryHeaders(GatewayHarness.DigitalHealthPractice);
        var query = $"?email={Uri.EscapeDataString(V("email"))}&dob={V("birth-date")}";

        // Forwarded: every vertical, single and batch endpoints.
        await Send(dental, "/v1/track" + query, Events.Json(AppointmentRequested()), HttpStatusCode.OK);
        await Send(dental, "/v1/identify", Events.Json(Identify()), HttpStatusCode.OK);
        await Send(dental, "/v1/page", Events.Json(Page()), HttpStatusCode.OK);
        await Send(dental, "/v1/alias", Events.Json(Alias()), HttpStatusCode.OK);
        var batch = Events.Batch(AppointmentRequested(), Referral(), Identify(), Page());
        batch["context"] = Context();
        await Send(dental, "/v1/batch", Events.Json(batch), HttpStatusCode.OK);
        await Send(healthcare, "/v1/batch", Events.Json(Events.Batch(AppointmentRequested(), Referral(), Identify(), Page())), HttpStatusCode.OK);
        await Send(digital, "/v1/import", Events.Json(Events.Batch(DemoRequested(), Consultation(), Identify(), Page(), Referral())), HttpStatusCode.OK);

        // Rejected: schema-invalid values that are themselves identifiers.
        var invalid = AppointmentRequested();
        invalid["properties"]!["service_line"] = V("email");
        invalid["properties"]!["zip"] = V("street");
        await Send(dental, "/v1/batch", Events.Json(Events.Batch(invalid, AppointmentRequested())), HttpStatusCode.BadRequest);

        // Dropped: an unlisted event whose name is itself PHI.
        await Send(dental, "/v1/track", Events.Json(Envelope("track", $"Called {V("first-name")} {V("last-name")} at {V("phone")}")), HttpStatusCode.OK);

        // Malformed: truncated and duplicate-key bodies full of canaries.
        var truncated = AppointmentRequested().ToJsonString();
        await Send(dental, "/v1/track", new StringContent(truncated[..(truncated.Length / 2)], Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest);
        await Send(dental, "/v1/track", new StringContent($$"""{"userId":"{{V("user-id")}}","userId":"{{V("email")}}"}""", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest);

        // Unauthenticated: the write key is a canary, in the header and in the body.
        var stranger = gateway.AnonymousClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(V("email") + ":")));
        await Send(stranger, "/v1/track", Events.Json(AppointmentRequested()), HttpStatusCode.Unauthorized);
        var bodyKey = Events.Batch(AppointmentRequested());
        bodyKey["writeKey"] = V("ssn");
        await Send(gateway.AnonymousClient(), "/v1/batch", Events.Json(bodyKey), HttpStatusCode.Unauthorized);

        // A busy machine can push a forward past its timeout into the outbox; wait for delivery, then for the logs to flush.
        await Wait.UntilAsync(() => gateway.Upstream.Events.Count >= 18, "the 18 forwardable events at the upstream");
        await Task.Delay(500);
        var forwarded = gateway.Upstream.AllBodies;
        var disk = gateway.ReadAllAuditAndLogs();
        var answered = responses.ToString();

        // 8 dental + 4 healthcare + 5 digital-health + the valid event of the partly invalid batch.
        Assert.Equal(18, gateway.Upstream.Events.Count);
        var leaks = new List<string>();
        foreach (var (type, value) in s_identifiers)
        {
            foreach (var (where, text) in new[] { ("forwarded body", forwarded), ("audit/log files", disk), ("responses", answered) })
            {
                if (text.Contains(value, StringComparison.OrdinalIgnoreCase))
                {
                    leaks.Add($"{type} in {where}");
                }
            }
        }

        // Safe Harbor generalizations: the ZIP keeps only its first three digits, the birth year never appears.
        foreach (var (where, text) in new[] { ("forwarded body", forwarded), ("audit/log files", disk), ("responses", answered) })
        {
            // The year as a token of its own: the same four digits inside a hash, a port or a duration are not the year.
            if (s_birthYear.Match(text) is { Success: true } year)
            {
                leaks.Add($"birth year in {where} (…{text.Substring(Math.Max(0, year.Index - 40), Math.Min(text.Length - Math.Max(0, year.Index - 40), 84))}…)");
            }

            foreach (var key in gateway.WriteKeys.Values)
            {
                if (text.Contains(key, StringComparison.Ordinal))
                {
                    leaks.Add($"write key in {where}");
                }
            }
        }

        Assert.True(leaks.Count == 0, "Canaries leaked: " + string.Join("; ", leaks));
        Assert.Contains("\"zip\":\"021\"", forwarded);
        Assert.Contains("\"age_band\":\"75-89\"", forwarded);
    }

    [Fact]
    public void Coverage_IsEveryIdentifierType_InEveryFieldKind()
    {
        // Guards the matrix reported in the issue note from silently shrinking.
        Assert.Equal(21, s_identifiers.Length);
        Assert.Equal(14, s_fieldKinds.Length);
    }
}
