using System.Globalization;
using System.Text.Json.Nodes;
using Pms.Connectors.Delivery;
using Pms.Connectors.Events;
using Pms.Connectors.Exports;
using Pms.Connectors.OpenDental;
using Pms.Connectors.State;

namespace Gateway.DevStack;

/// <summary>
/// <c>dotnet run --project src/Gateway.DevStack -- demo-pms</c>: a sample office's Open Dental API is polled and sample
/// Dentrix and Eaglesoft exports are imported (the connectors <c>gatewayctl pms</c> runs), through the running
/// gateway; then the scored recall leads and the funnel of reactivations by location and recall type are shown.
/// Fictional patients only.
/// </summary>
internal static class DemoPms
{
    public static async Task<int> RunAsync(StackLayout layout)
    {
        var secrets = DemoSecrets.LoadOrCreate(layout.DemoSecrets);
        var folder = Path.Combine(layout.DemoSecrets, "pms");
        Directory.CreateDirectory(folder);
        var now = DateTime.UtcNow;
        using var http = new HttpClient();
        using var state = ConnectorStateStore.Open(Path.Combine(folder, "state.db"), TimeProvider.System);
        var gateway = new GatewayOptions { Endpoint = layout.Gateway, WriteKey = secrets.WriteKey, ConsentCategories = ["Analytics"] };

        Console.WriteLine($"Polling a sample office's Open Dental API and sending its recalls and appointments to {layout.Gateway} ...");
        using (var office = new SampleOpenDentalOffice(OfficeData(now)))
        {
            var options = new OpenDentalOptions { BaseUrl = office.BaseUrl, DeveloperKey = SampleOpenDentalOffice.DeveloperKey, CustomerKey = SampleOpenDentalOffice.CustomerKey, Identity = PatientIdentity.Email };
            var delivery = new EventDelivery(OpenDentalPoller.System, new GatewaySender(http, gateway, TimeProvider.System), state);
            await new OpenDentalPoller(OpenDentalPoller.System, new OpenDentalClient(http, options, TimeProvider.System), options, delivery, state, TimeProvider.System).PollAsync(CancellationToken.None);
        }

        foreach (var (system, files) in Exports(now))
        {
            var inbox = Path.Combine(folder, system);
            Directory.CreateDirectory(inbox);
            var importer = new ExportImporter(
                new ImportOptions { Mappings = [.. ExportMapping.Shipped().Where(m => m.System == system)], Identity = PatientIdentity.Email },
                new EventDelivery(system, new GatewaySender(http, gateway, TimeProvider.System), state), TimeProvider.System);
            foreach (var (name, content, writtenAt) in files)
            {
                var path = Path.Combine(inbox, name);
                File.WriteAllText(path, content);
                File.SetLastWriteTimeUtc(path, writtenAt);
                var report = await importer.ImportAsync(path, CancellationToken.None);
                Console.WriteLine($"Imported {system} {name}: {report.RowsRead} rows, {report.RowsSent} sent, {report.RowsAlreadySent} already sent, {report.RowsRefused} refused -> {Path.GetRelativePath(layout.Root, report.MovedTo!)}");
            }
        }

        foreach (var status in state.All())
        {
            Console.WriteLine($"  connector {status.Connector}: read {status.RowsRead}, sent {status.RowsSent}, refused {status.RowsRefused}, already sent {status.RowsAlreadySent}");
        }

        await Task.Delay(500);
        await DemoLeads.PrintAsync(layout, secrets, People);

        using var scoring = new HttpClient { BaseAddress = layout.Scoring };
        scoring.DefaultRequestHeaders.Add("X-Api-Key", secrets.ScoringApiKey);
        var funnel = JsonNode.Parse(await scoring.GetStringAsync($"/api/funnel?practice={StackLayout.Practice}&groupBy=locationLeadType"))!;
        Console.WriteLine();
        Console.WriteLine($"{"location/lead type",-36} {"leads",5} {"mql",5} {"booked",7}");
        foreach (var row in funnel["rows"]!.AsArray())
        {
            Console.WriteLine($"{(string?)row!["channel"],-36} {(int)row["leads"]!,5} {(int)row["mqls"]!,5} {(int)row["conversions"]!,7}");
        }

        Console.WriteLine();
        Console.WriteLine("Run it again: every record is already sent (message ids from record id + version), nothing is counted twice.");
        Console.WriteLine($"Connector status: gatewayctl pms status --state {Path.GetRelativePath(layout.Root, Path.Combine(folder, "state.db"))}");
        return 0;
    }

    private static readonly List<(string UserId, string Label, string Story)> People =
    [
        ("nora.fielding@example.com", "nora", "Open Dental: recall scheduled, then her cleaning was booked (converted by the PMS)"),
        ("otto.brandvold@example.com", "otto", "Open Dental: 15 months overdue for perio maintenance"),
        ("ines.marlowe@example.com", "ines", "Dentrix: answered the recall, appointment booked"),
        ("cal.whitacre@example.com", "cal", "Dentrix: 8 months overdue for a cleaning"),
        ("dana.oyelaran@example.com", "dana", "Eaglesoft: two years overdue, last seen 2.5 years ago"),
    ];

    private static Dictionary<string, JsonNode> OfficeData(DateTime now)
    {
        string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var stamp = SampleOpenDentalOffice.Stamp(now.AddHours(-3));
        JsonObject Patient(long num, string first, string last, string email, string phone, string birth) => new()
        {
            ["PatNum"] = num, ["FName"] = first, ["LName"] = last, ["PatStatus"] = "Patient", ["Email"] = email, ["WirelessPhone"] = phone,
            ["HmPhone"] = "", ["Birthdate"] = birth, ["Zip"] = "02139", ["ClinicNum"] = 0, ["DateTStamp"] = stamp,
        };
        return new Dictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            ["recalltypes"] = new JsonArray(new JsonObject { ["RecallTypeNum"] = 1, ["Description"] = "Prophy" }, new JsonObject { ["RecallTypeNum"] = 3, ["Description"] = "Perio" }),
            ["patients/2101"] = Patient(2101, "Nora", "Fielding", "nora.fielding@example.com", "(617) 555-0121", "1975-02-11"),
            ["patients/2102"] = Patient(2102, "Otto", "Brandvold", "otto.brandvold@example.com", "(617) 555-0122", "1961-08-23"),
            ["recalls"] = new JsonArray(
                new JsonObject { ["RecallNum"] = 31, ["PatNum"] = 2101, ["DateDue"] = Day(now.AddMonths(-7)), ["DatePrevious"] = Day(now.AddMonths(-13)), ["DateScheduled"] = Day(now.AddDays(5)), ["IsDisabled"] = "false", ["RecallTypeNum"] = 1, ["DateTStamp"] = SampleOpenDentalOffice.Stamp(now.AddHours(-5)) },
                new JsonObject { ["RecallNum"] = 32, ["PatNum"] = 2102, ["DateDue"] = Day(now.AddMonths(-15)), ["DatePrevious"] = Day(now.AddMonths(-18)), ["DateScheduled"] = "0001-01-01", ["IsDisabled"] = "false", ["RecallTypeNum"] = 3, ["DateTStamp"] = stamp }),
            ["appointments"] = new JsonArray(
                new JsonObject { ["AptNum"] = 41, ["PatNum"] = 2101, ["AptStatus"] = "Scheduled", ["AptDateTime"] = SampleOpenDentalOffice.Stamp(now.Date.AddDays(5).AddHours(9)), ["ClinicNum"] = 0, ["IsHygiene"] = "true", ["IsNewPatient"] = "false", ["DateTStamp"] = stamp, ["serverDateTime"] = SampleOpenDentalOffice.Stamp(now) }),
        };
    }

    private static IEnumerable<(string System, List<(string Name, string Content, DateTime WrittenAt)> Files)> Exports(DateTime now)
    {
        string Us(DateTime d) => d.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);
        yield return ("dentrix",
        [
            ("continuing-care.csv",
                "Chart Number,First Name,Last Name,Email,Mobile Phone,Birthdate,Zip,Continuing Care Type,Due Date,Prior Visit,Appointment Date,Clinic,Insurance Status\r\n" +
                $"IM2201,Ines,Marlowe,ines.marlowe@example.com,(617) 555-0123,05/30/1983,02139,Prophy,{Us(now.AddMonths(-9))},{Us(now.AddMonths(-15))},{Us(now.AddDays(8))},Main,In Network\r\n" +
                $"CW2202,Cal,Whitacre,cal.whitacre@example.com,(617) 555-0124,12/01/1979,02141,Prophy,{Us(now.AddMonths(-8))},{Us(now.AddMonths(-14))},,Main,Self Pay\r\n",
                now.AddHours(-4)),
            ("appointments.csv",
                "Chart Number,Appointment ID,First Name,Last Name,Email,Mobile Phone,Birthdate,Zip,Appointment Date,Time,Status,Appointment Reason,Continuing Care Type,Clinic,New Patient\r\n" +
                $"IM2201,A-5501,Ines,Marlowe,ines.marlowe@example.com,(617) 555-0123,05/30/1983,02139,{Us(now.AddDays(8))},10:30 AM,Scheduled,Prophy,Prophy,Main,N\r\n",
                now.AddHours(-2)),
        ]);
        yield return ("eaglesoft",
        [
            ("recall-list.csv",
                "Patient ID,First Name,Last Name,E-Mail,Cell Phone,Birth Date,Zip Code,Recall Type,Recall Due,Last Visit,Next Appt,Office,Insurance\r\n" +
                $"5003,Dana,Oyelaran,dana.oyelaran@example.com,(617) 555-0125,3/3/1992,02139,Prophy 6 Mo,{now.AddMonths(-24).ToString("M/d/yyyy", CultureInfo.InvariantCulture)},{now.AddMonths(-30).ToString("M/d/yyyy", CultureInfo.InvariantCulture)},,Main,None\r\n",
                now.AddHours(-1)),
        ]);
    }
}
