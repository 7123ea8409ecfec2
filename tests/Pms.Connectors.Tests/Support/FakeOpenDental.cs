using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Pms.Connectors.Tests.Support;

/// <summary>
/// Open Dental's REST API as documented, on loopback: <c>Authorization: ODFHIR dev/cust</c> (401 otherwise),
/// <c>Limit</c>/<c>Offset</c> paging (at most <see cref="HardLimit"/> per page), <c>appointments?DateTStamp=</c>
/// (altered after) with a <c>serverDateTime</c> on each item, <c>recalls</c> (no DateTStamp filter), <c>patients/{n}</c>,
/// <c>recalltypes</c>; and injected faults (429 with Retry-After, 5xx) for the next requests.
/// </summary>
internal sealed class FakeOpenDental : IAsyncDisposable
{
    public const string DeveloperKey = "devKEY123";
    public const string CustomerKey = "custKEY456";
    public const int HardLimit = 100;

    private readonly LoopbackServer _server;

    private FakeOpenDental(LoopbackServer server) => _server = server;

    public Uri BaseUrl => new(_server.Address, "/api/v1/");

    /// <summary>The server's clock, as Open Dental's DateTStamp and serverDateTime show it.</summary>
    public DateTime Now { get; set; } = new(2026, 11, 20, 9, 0, 0);

    public List<JsonObject> Patients { get; } = [];

    public List<JsonObject> Recalls { get; } = [];

    public List<JsonObject> Appointments { get; } = [];

    public List<JsonObject> RecallTypes { get; } =
    [
        new() { ["RecallTypeNum"] = 1, ["Description"] = "Prophy" },
        new() { ["RecallTypeNum"] = 2, ["Description"] = "Child Prophy" },
        new() { ["RecallTypeNum"] = 3, ["Description"] = "Perio" },
    ];

    /// <summary>Statuses to answer the next requests with instead of serving them (then normal service resumes).</summary>
    public ConcurrentQueue<int> Faults { get; } = new();

    /// <summary>Path and query of every request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeOpenDental> StartAsync()
    {
        FakeOpenDental? fake = null;
        var server = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context));
        fake = new FakeOpenDental(server);
        return fake;
    }

    public static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public JsonObject AddPatient(long patNum, string first, string last, string email, string phone, string birthdate, string zip, string status = "Patient", int clinic = 1)
    {
        var patient = new JsonObject
        {
            ["PatNum"] = patNum, ["LName"] = last, ["FName"] = first, ["PatStatus"] = status, ["Birthdate"] = birthdate, ["Zip"] = zip,
            ["HmPhone"] = "", ["WirelessPhone"] = phone, ["Email"] = email, ["ClinicNum"] = clinic, ["DateTStamp"] = Stamp(Now),
        };
        Patients.Add(patient);
        return patient;
    }

    public JsonObject AddRecall(long recallNum, long patNum, string dateDue, string datePrevious, string dateScheduled = "0001-01-01", int recallType = 1)
    {
        var recall = new JsonObject
        {
            ["RecallNum"] = recallNum, ["PatNum"] = patNum, ["DateDue"] = dateDue, ["DatePrevious"] = datePrevious, ["RecallInterval"] = "6m1d",
            ["RecallStatus"] = 0, ["Note"] = "", ["IsDisabled"] = "false", ["DateTStamp"] = Stamp(Now), ["RecallTypeNum"] = recallType,
            ["DateScheduled"] = dateScheduled, ["Priority"] = "Normal",
        };
        Recalls.Add(recall);
        return recall;
    }

    public JsonObject AddAppointment(long aptNum, long patNum, string status, DateTime at, bool hygiene = true, int clinic = 1)
    {
        var appointment = new JsonObject
        {
            ["AptNum"] = aptNum, ["PatNum"] = patNum, ["AptStatus"] = status, ["Pattern"] = "//XXXX//", ["Note"] = "", ["ProvNum"] = 1,
            ["AptDateTime"] = Stamp(at), ["IsNewPatient"] = "false", ["ProcDescript"] = "Pro, PerEx", ["ClinicNum"] = clinic,
            ["IsHygiene"] = hygiene ? "true" : "false", ["DateTStamp"] = Stamp(Now), ["Priority"] = "Normal",
        };
        Appointments.Add(appointment);
        return appointment;
    }

    /// <summary>Changes a record the way Open Dental does: new values and a new DateTStamp.</summary>
    public void Touch(JsonObject record, params (string Name, JsonNode? Value)[] changes)
    {
        foreach (var (name, value) in changes)
        {
            record[name] = value;
        }

        record["DateTStamp"] = Stamp(Now);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(request.Path + request.QueryString);
        if (request.Headers.Authorization.ToString() != $"ODFHIR {DeveloperKey}/{CustomerKey}")
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("Invalid developer or customer key.");
            return;
        }

        if (Faults.TryDequeue(out var fault))
        {
            context.Response.StatusCode = fault;
            if (fault == 429)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            return;
        }

        var path = request.Path.Value!["/api/v1/".Length..];
        var offset = int.TryParse(request.Query["Offset"], out var o) ? o : 0;
        var limit = Math.Min(int.TryParse(request.Query["Limit"], out var l) ? l : HardLimit, HardLimit);
        JsonNode? answer = path switch
        {
            "appointments" => Page(Appointments.Where(a => AlteredAfter(a, request.Query["DateTStamp"])), offset, limit, withServerTime: true),
            "recalls" => Page(Recalls, offset, limit, withServerTime: false),
            "recalltypes" => Page(RecallTypes, offset, limit, withServerTime: false),
            _ when path.StartsWith("patients/", StringComparison.Ordinal) => Patients.FirstOrDefault(p => p["PatNum"]!.ToString() == path["patients/".Length..])?.DeepClone(),
            _ => null,
        };
        if (answer is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private static bool AlteredAfter(JsonObject record, string? after) =>
        string.IsNullOrEmpty(after) || string.CompareOrdinal(record["DateTStamp"]!.GetValue<string>(), after) > 0;

    private JsonArray Page(IEnumerable<JsonObject> items, int offset, int limit, bool withServerTime)
    {
        var page = new JsonArray();
        foreach (var item in items.Skip(offset).Take(limit))
        {
            var copy = item.DeepClone().AsObject();
            if (withServerTime)
            {
                copy["serverDateTime"] = Stamp(Now);
            }

            page.Add(copy);
        }

        return page;
    }
}
