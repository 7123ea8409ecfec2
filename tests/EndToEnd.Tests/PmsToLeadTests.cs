extern alias cli;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;
using Pms.Connectors.Tests.Support;

namespace EndToEnd.Tests;

/// <summary>
/// Practice-management records through <c>gatewayctl pms poll</c> and <c>pms import</c>, the real gateway and the real
/// scoring service: a recall response then a booked appointment converts the lead, attributed to the PMS; an overdue
/// recall scores as reactivation; the funnel counts reactivations by location and recall type; and no PMS identifier
/// (patient number, name, email, phone, birth date, ZIP, dates of care) reaches scoring.
/// </summary>
[Collection(StackCollection.Name)]
public class PmsToLeadTests
{
    private const string Practice = "harborview-dental";

    [Fact]
    public async Task OpenDentalPoll_AndDentrixAndEaglesoftImports_BecomeScoredRecallLeads_WithoutPmsIdentifiers()
    {
        await using var stack = await StackFixture.StartAsync(practice: Practice);
        await using var od = await FakeOpenDental.StartAsync();
        var work = Path.Combine(stack.Root, "pms");
        Directory.CreateDirectory(work);
        var writeKey = Write(work, "write-key.txt", stack.WriteKey);
        var now = DateTime.UtcNow;

        // Orla was on the website, identified by her email (analytics.identify(email)): the gateway's HMAC of the same
        // identifier makes her web visit and her PMS record one lead.
        var web = await stack.GatewayClient().PostAsync("/v1/batch", Events.Json(Events.Batch(
            Events.Track("Pricing Page Viewed", new JsonObject { ["service_line"] = "hygiene" }, "web-orla-1", "orla.quennevic@example.org"))));
        Assert.Equal(HttpStatusCode.OK, web.StatusCode);

        // Open Dental: Orla's prophy recall got scheduled two days ago and her appointment was booked yesterday;
        // Wendell is 14 months overdue for perio maintenance.
        od.Now = now.AddDays(-2);
        od.AddPatient(904417733, "Orla", "Quennevic", "orla.quennevic@example.org", "(617) 555-0141", "1971-06-02", "02139");
        od.AddRecall(61001, 904417733, Day(now.AddMonths(-7)), Day(now.AddMonths(-13)), dateScheduled: Day(now.AddDays(6)));
        od.Now = now.AddDays(-1);
        od.AddAppointment(71001, 904417733, "Scheduled", now.AddDays(6));
        od.AddPatient(904417734, "Wendell", "Ostravik", "wendell.ostravik@example.org", "(617) 555-0142", "1958-11-30", "02116");
        od.AddRecall(61002, 904417734, Day(now.AddMonths(-14)), Day(now.AddMonths(-20)), recallType: 3);
        Assert.Equal(0, await GatewayCtl(
            "pms", "poll", "--open-dental-url", od.BaseUrl.ToString(),
            "--developer-key-file", Write(work, "dev.txt", FakeOpenDental.DeveloperKey), "--customer-key-file", Write(work, "cust.txt", FakeOpenDental.CustomerKey),
            "--clinic", "1=back-bay", "--consent", "Analytics", "--gateway", stack.Gateway.Address.ToString(), "--write-key-file", writeKey, "--state", Path.Combine(work, "state.db")));

        // Dentrix: Priya's recall export shows her recall scheduled, then the appointment list shows it booked.
        var exports = Path.Combine(work, "exports");
        Directory.CreateDirectory(exports);
        var yesterday = DateTime.UtcNow.AddDays(-1);
        File.WriteAllText(Path.Combine(exports, "cc-list.csv"),
            "Chart Number,First Name,Last Name,Email,Mobile Phone,Birthdate,Zip,Continuing Care Type,Due Date,Prior Visit,Appointment Date,Clinic,Insurance Status\r\n" +
            $"DXP-55291,Priya,Vantongeren,priya.vantongeren@example.org,(617) 555-0143,04/17/1980,02139,Prophy,{Us(now.AddMonths(-8))},{Us(now.AddMonths(-14))},{Us(now.AddDays(9))},Back Bay,In Network\r\n");
        File.SetLastWriteTimeUtc(Path.Combine(exports, "cc-list.csv"), yesterday.AddHours(-1));
        File.WriteAllText(Path.Combine(exports, "appointments.csv"),
            "Chart Number,Appointment ID,First Name,Last Name,Email,Mobile Phone,Birthdate,Zip,Appointment Date,Time,Status,Appointment Reason,Continuing Care Type,Clinic,New Patient\r\n" +
            $"DXP-55291,DXA-88017,Priya,Vantongeren,priya.vantongeren@example.org,(617) 555-0143,04/17/1980,02139,{Us(now.AddDays(9))},9:30 AM,Scheduled,Prophy,Prophy,Back Bay,N\r\n");
        File.SetLastWriteTimeUtc(Path.Combine(exports, "appointments.csv"), yesterday);
        Assert.Equal(0, await GatewayCtl("pms", "import", exports, "--system", "dentrix", "--consent", "Analytics",
            "--gateway", stack.Gateway.Address.ToString(), "--write-key-file", writeKey, "--state", Path.Combine(work, "state.db")));

        // Eaglesoft: Tomasz is 20 months overdue for a cleaning.
        var eaglesoft = Write(work, "recall-list.csv",
            "Patient ID,First Name,Last Name,E-Mail,Cell Phone,Birth Date,Zip Code,Recall Type,Recall Due,Last Visit,Next Appt,Office,Insurance\r\n" +
            $"ESP-30817,Tomasz,Heggelund,tomasz.heggelund@example.org,(617) 555-0144,9/9/1990,02139,Prophy 6 Mo,{Us(now.AddMonths(-20))},{Us(now.AddMonths(-26))},,Back Bay,PPO In Network\r\n");
        Assert.Equal(0, await GatewayCtl("pms", "import", eaglesoft, "--system", "eaglesoft", "--consent", "Analytics",
            "--gateway", stack.Gateway.Address.ToString(), "--write-key-file", writeKey, "--state", Path.Combine(work, "state.db")));

        // A second poll and a re-import change nothing (message ids from record id + version).
        Assert.Equal(0, await GatewayCtl(
            "pms", "poll", "--open-dental-url", od.BaseUrl.ToString(), "--developer-key-file", Path.Combine(work, "dev.txt"), "--customer-key-file", Path.Combine(work, "cust.txt"),
            "--clinic", "1=back-bay", "--consent", "Analytics", "--gateway", stack.Gateway.Address.ToString(), "--write-key-file", writeKey, "--state", Path.Combine(work, "state.db")));

        using var scoring = stack.ScoringClient();
        async Task<JsonNode> Lead(string email) =>
            JsonNode.Parse(await scoring.GetStringAsync($"/api/leads/{Practice}/{Uri.EscapeDataString(StackFixture.Pseudonym(email, Practice))}"))!;

        var orla = await Lead("orla.quennevic@example.org");
        Assert.Equal("appointment", (string?)orla["stage"]);
        var converted = orla["transitions"]!.AsArray().Last()!;
        Assert.Equal(("appointment", "pms:open_dental"), ((string?)converted["to"], (string?)converted["actor"]));
        // The web visit, Recall Scheduled and Appointment Booked, each once.
        Assert.Equal(["Appointment Booked", "Pricing Page Viewed", "Recall Scheduled"], orla["intent"]!.AsArray().Select(i => (string)i!["event"]!).Order());

        var priya = await Lead("priya.vantongeren@example.org");
        Assert.Equal("appointment", (string?)priya["stage"]);
        Assert.Equal("pms:dentrix", (string?)priya["transitions"]!.AsArray().Last()!["actor"]);

        var wendell = await Lead("wendell.ostravik@example.org");
        Assert.Contains(wendell["intent"]!.AsArray(), i => (string?)i!["event"] == "Recall Due" && (double)i!["points"]! > 15);
        var tomasz = await Lead("tomasz.heggelund@example.org");
        Assert.Contains(tomasz["intent"]!.AsArray(), i => (string?)i!["event"] == "Recall Due");

        var funnel = JsonNode.Parse(await scoring.GetStringAsync($"/api/funnel?practice={Practice}&groupBy=locationLeadType"))!;
        var rows = funnel["rows"]!.AsArray().ToDictionary(r => (string)r!["channel"]!, r => r!);
        Assert.Equal(2, (int)rows["back-bay/reactivation-hygiene"]["conversions"]!);   // Orla (Open Dental) and Priya (Dentrix)
        Assert.Equal(1, (int)rows["back-bay/reactivation-perio"]["leads"]!);            // Wendell

        // Canary scan: nothing the PMS identifies a patient by reaches scoring (its database, files and API answers).
        var scored = new StringBuilder();
        foreach (var file in Directory.GetFiles(Path.Combine(stack.Root, "scoring"), "*", SearchOption.AllDirectories))
        {
            scored.Append(Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }

        scored.Append(orla.ToJsonString()).Append(priya.ToJsonString()).Append(wendell.ToJsonString()).Append(tomasz.ToJsonString()).Append(funnel.ToJsonString());
        var text = scored.ToString();
        Assert.Contains("Recall Due", text, StringComparison.Ordinal);   // the scan reads what scoring stored
        foreach (var canary in new[]
        {
            "904417733", "904417734", "61001", "71001", "DXP-55291", "DXA-88017", "ESP-30817",
            "Orla", "Quennevic", "Wendell", "Ostravik", "Priya", "Vantongeren", "Tomasz", "Heggelund",
            "example.org", "555-014", "6175550", "1971-06-02", "1958-11-30", "04/17/1980", "1980-04-17", "1990-09-09", "02139", "02116",
            Day(now.AddMonths(-7)), Day(now.AddMonths(-14)), Day(now.AddDays(6)), Day(now.AddDays(9)),
        })
        {
            Assert.DoesNotContain(canary, text, StringComparison.Ordinal);
        }
    }

    private static string Day(DateTime at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Us(DateTime at) => at.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);

    private static string Write(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<int> GatewayCtl(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await cli::Gateway.Cli.GatewayCtl.RunAsync(args, new cli::Gateway.Cli.CliConsole(stdout, stderr, TextReader.Null, isTerminal: false));
        Assert.True(exit == 0, $"gatewayctl {string.Join(' ', args.Take(2))} exited {exit}: {stdout}{stderr}");
        return exit;
    }
}
