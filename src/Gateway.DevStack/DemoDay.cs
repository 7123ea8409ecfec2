using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.DevStack;

/// <summary>
/// Sends a realistic day of a dental practice's tracking events (with the PHI real forms carry) through
/// the running gateway, then asks the scoring service who became an MQL. Leads are shown by the demo's
/// own patient labels, matched by computing their pseudonyms locally with the demo key.
/// </summary>
internal static class DemoDay
{
    private sealed record Patient(string Label, string UserId, string Story, bool Consents, Func<Patient, IEnumerable<JsonObject>> Day);

    public static async Task<int> RunAsync(StackLayout layout)
    {
        var secrets = DemoSecrets.LoadOrCreate(layout.DemoSecrets);
        using var gateway = new HttpClient { BaseAddress = layout.Gateway };
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(secrets.WriteKey + ":")));
        var day = DateTimeOffset.UtcNow.Date;
        var patients = Patients(day);

        Console.WriteLine($"Sending a day of events for {patients.Count} people to {layout.Gateway} ...");
        foreach (var patient in patients)
        {
            var events = patient.Day(patient).ToList();
            var response = await gateway.PostAsync("/v1/batch", new StringContent(new JsonObject { ["batch"] = new JsonArray([.. events]) }.ToJsonString(), Encoding.UTF8, "application/json"));
            Console.WriteLine($"  {patient.Label,-12} {events.Count,2} events -> {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await Task.Delay(500);
        var labels = await DemoLeads.PrintAsync(layout, secrets, patients.Select(p => (p.UserId, p.Label, p.Story)).ToList());
        foreach (var patient in patients.Where(p => !labels.Contains(p.UserId)))
        {
            Console.WriteLine($"{patient.Label,-12} {"(none)",-12} {"",6} {"",6} {"",7}  {"",-22} {patient.Story}");
        }

        Console.WriteLine();
        Console.WriteLine("The scoring service saw only pseudonyms, ZIP3, age bands and derived features; compare what the gateway forwarded");
        Console.WriteLine("with what was sent, and read the audit trail with: gatewayctl audit stats data/gateway/audit");
        return 0;
    }

    private static List<Patient> Patients(DateTime day)
    {
        DateTimeOffset At(int hour, int minute) => new DateTimeOffset(day, TimeSpan.Zero).AddHours(hour).AddMinutes(minute);
        return
        [
            new("maria", "patient-1001", "researched implants, priced financing, booked a consult", true, p =>
            [
                Identify(p, At(8, 2), "maria.alvarez@example.com", "(617) 555-0101", "1968-03-14", "02139", "in_network", "new"),
                Page(p, At(8, 3), "/services/implants", "implants"),
                Track(p, At(8, 5), "Pricing Page Viewed", new JsonObject { ["service_line"] = "implants", ["financing_viewed"] = true }),
                Track(p, At(8, 9), "Treatment Guide Downloaded", new JsonObject { ["guide_id"] = "implant-guide", ["service_line"] = "implants", ["email"] = "maria.alvarez@example.com", ["zip"] = "02139" }),
                Track(p, At(8, 14), "Appointment Requested", new JsonObject
                {
                    ["service_line"] = "implants", ["new_patient"] = true, ["insurance_status"] = "in_network", ["email"] = "maria.alvarez@example.com",
                    ["phone"] = "(617) 555-0101", ["date_of_birth"] = "1968-03-14", ["zip"] = "02139", ["first_name"] = "Maria", ["last_name"] = "Alvarez",
                    ["notes"] = "My name is Maria Alvarez, lost a molar last month, call me at 617-555-0101 after 5.",
                }),
            ]),
            new("james", "patient-1002", "answered the hygiene recall text: scheduled", true, p =>
            [
                Track(p, At(9, 30), "Recall Responded", new JsonObject { ["campaign_id"] = "hygiene-recall-q4", ["channel"] = "sms", ["response"] = "scheduled", ["months_since_last_visit"] = 13, ["service_line"] = "hygiene" }),
            ]),
            new("priya", "patient-1003", "read two blog posts", true, p =>
            [
                Page(p, At(10, 1), "/blog/flossing-myths", null),
                Page(p, At(10, 6), "/blog/whitening-at-home", null),
            ]),
            new("tom", "patient-1004", "new mover: used the mailer code, then booked a cleaning", true, p =>
            [
                Identify(p, At(11, 0), "tom.nguyen@example.net", "617-555-0102", "1990-07-02", "02141", "self_pay", "new"),
                Track(p, At(11, 1), "New Mover Mail Responded", new JsonObject { ["offer_code"] = "WELCOME50", ["mailer_campaign"] = "new-movers-nov", ["zip"] = "02141", ["service_line"] = "general" }),
                Track(p, At(11, 20), "Appointment Requested", new JsonObject { ["service_line"] = "general", ["new_patient"] = true, ["insurance_status"] = "self_pay", ["zip"] = "02141" }),
            ]),
            new("aisha", "patient-1005", "compared whitening options and prices", true, p =>
            [
                Track(p, At(12, 15), "Comparison Page Viewed", new JsonObject { ["service_line"] = "whitening", ["compared_with"] = "at-home-kits" }),
                Track(p, At(12, 18), "Pricing Page Viewed", new JsonObject { ["service_line"] = "whitening" }),
            ]),
            new("robert", "patient-1006", "referred by his physician for implants", true, p =>
            [
                Track(p, At(13, 40), "Referral Submitted", new JsonObject
                {
                    ["referral_source"] = "provider", ["service_line"] = "implants", ["referring_practice_id"] = "cambridge-family-med",
                    ["patient_first_name"] = "Robert", ["patient_last_name"] = "King", ["patient_birthdate"] = "1951-09-30", ["patient_phone"] = "617-555-0106",
                    ["notes"] = "Patient Robert King, DOB 09/30/1951, needs an implant consult.",
                }),
            ]),
            new("elena", "patient-1007", "declined analytics cookies: nothing is forwarded", false, p =>
            [
                Page(p, At(14, 5), "/services/veneers", "veneers"),
                Track(p, At(14, 9), "Pricing Page Viewed", new JsonObject { ["service_line"] = "veneers" }),
            ]),
            new("marcus", "patient-1008", "watched the implant seminar sign-up page, registered", true, p =>
            [
                Track(p, At(16, 0), "Webinar Registered", new JsonObject { ["webinar_id"] = "implant-seminar-dec", ["topic"] = "implants", ["service_line"] = "implants", ["email"] = "marcus@example.org" }),
            ]),
        ];
    }

    private static JsonObject Context(Patient p, string path) => new()
    {
        ["ip"] = "203.0.113.7",
        ["userAgent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)",
        ["locale"] = "en-US",
        ["library"] = new JsonObject { ["name"] = "analytics.js", ["version"] = "next-1.72.0" },
        ["page"] = new JsonObject { ["url"] = $"https://smile-dental.example{path}?utm_source=google", ["path"] = path, ["referrer"] = "https://www.google.com/search?q=dentist", ["title"] = "Smile Dental" },
        ["campaign"] = new JsonObject { ["name"] = "fall_implants", ["source"] = "google", ["medium"] = "cpc" },
        ["consent"] = new JsonObject { ["categoryPreferences"] = new JsonObject { ["Analytics"] = p.Consents, ["Advertising"] = false } },
    };

    private static JsonObject Base(Patient p, string type, DateTimeOffset at, string path) => new()
    {
        ["type"] = type,
        ["messageId"] = $"demo-{p.UserId}-{at:yyyyMMddHHmm}-{type}",
        ["userId"] = p.UserId,
        ["anonymousId"] = "anon-" + p.UserId,
        ["timestamp"] = at.ToString("O"),
        ["context"] = Context(p, path),
    };

    private static JsonObject Track(Patient p, DateTimeOffset at, string name, JsonObject properties)
    {
        var e = Base(p, "track", at, "/book");
        e["event"] = name;
        e["messageId"] = $"demo-{p.UserId}-{at:yyyyMMddHHmm}-{name.Replace(' ', '-')}";
        e["properties"] = properties;
        return e;
    }

    private static JsonObject Page(Patient p, DateTimeOffset at, string path, string? serviceLine)
    {
        var e = Base(p, "page", at, path);
        var properties = new JsonObject { ["path"] = path, ["url"] = "https://smile-dental.example" + path };
        if (serviceLine is not null)
        {
            properties["service_line"] = serviceLine;
            e = Track(p, at, "Service Page Viewed", new JsonObject { ["service_line"] = serviceLine, ["page_type"] = "service" });
            return e;
        }

        e["properties"] = properties;
        return e;
    }

    private static JsonObject Identify(Patient p, DateTimeOffset at, string email, string phone, string birthday, string zip, string insurance, string status)
    {
        var e = Base(p, "identify", at, "/portal");
        e["traits"] = new JsonObject
        {
            ["email"] = email, ["phone"] = phone, ["birthday"] = birthday, ["first_name"] = p.Label,
            ["address"] = new JsonObject { ["street"] = "12 Elm St", ["city"] = "Cambridge", ["state"] = "MA", ["postal_code"] = zip },
            ["insurance_status"] = insurance, ["patient_status"] = status,
        };
        return e;
    }
}
