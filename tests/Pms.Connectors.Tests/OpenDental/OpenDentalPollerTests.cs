using System.Text;
using System.Text.Json.Nodes;
using Gateway.Compliance.Tests.TestSupport;
using Pms.Connectors.Delivery;
using Pms.Connectors.Events;
using Pms.Connectors.OpenDental;
using Pms.Connectors.Tests.Support;

namespace Pms.Connectors.Tests.OpenDental;

public sealed class OpenDentalPollerTests : IAsyncLifetime
{
    private const string CanaryEmail = "quillon.canary@example.org";
    private const string CanaryName = "Quillonmarsh";
    private const long CanaryPatNum = 904417733;

    private readonly TempDirectory _temp = new("od");
    private readonly HttpClient _http = new();
    private FakeOpenDental _od = null!;
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _od = await FakeOpenDental.StartAsync();
        _gateway = await FakeGateway.StartAsync();
        _od.AddPatient(CanaryPatNum, "Ada", CanaryName, CanaryEmail, "(617) 555-0191", "1969-03-14", "02139");
        _od.AddRecall(5001, CanaryPatNum, "2025-09-01", "2025-03-01");
        _od.AddAppointment(7001, CanaryPatNum, "Scheduled", new DateTime(2026, 12, 3, 10, 0, 0));
    }

    public async Task DisposeAsync()
    {
        await _od.DisposeAsync();
        await _gateway.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Poll_SendsRecallsAndAppointments_WithTheDocumentedAuthorization_AndMessageIdsFromRecordAndVersion()
    {
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        await PollAsync(connector);

        var events = _gateway.Accepted;
        Assert.Equal(["Appointment Booked", "Recall Due"], events.Select(e => (string)e["event"]!));
        var recall = events[1]["properties"]!;
        Assert.Equal(("open_dental", "prophy", "2025-09-01", 14.6), ((string)recall["source_system"]!, (string)recall["recall_type"]!, (string)recall["due_date"]!, (double)recall["months_overdue"]!));
        Assert.Equal(CanaryEmail, (string)events[1]["userId"]!);
        Assert.Equal(MessageIds.From("open_dental", "recall", "5001", "due:2025-09-01"), (string)events[1]["messageId"]!);
        Assert.Equal(MessageIds.From("open_dental", "appointment", "7001", "booked"), (string)events[0]["messageId"]!);
        Assert.Equal("back-bay", (string)events[0]["properties"]!["location_id"]!);
        Assert.True((bool)events[0]["context"]!["consent"]!["categoryPreferences"]!["Analytics"]!);
        Assert.Equal((2, 2, 0), ((int)connector.Status.RowsRead, (int)connector.Status.RowsSent, (int)connector.Status.RowsRefused));
    }

    [Fact]
    public async Task Poll_ReadsEveryPage_OfAtMostTheDocumentedLimit()
    {
        for (var i = 0; i < 230; i++)
        {
            _od.AddAppointment(8000 + i, CanaryPatNum, "Complete", new DateTime(2026, 10, 1, 9, 0, 0).AddHours(i));
        }

        using var connector = new Connector(_gateway, _temp.File("state.db"), batchSize: 50);

        await PollAsync(connector);

        var pages = _od.Requests.Where(r => r.StartsWith("/api/v1/appointments", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Limit=100&Offset=0", "Limit=100&Offset=100", "Limit=100&Offset=200"], pages.Select(p => p[(p.IndexOf('?') + 1)..]));
        Assert.Equal(231, _gateway.Accepted.Count(e => ((string)e["event"]!).StartsWith("Appointment", StringComparison.Ordinal)));
        Assert.Equal(232, _gateway.Accepted.Select(e => (string)e["messageId"]!).Distinct().Count());
        // One patient, read once for the whole run.
        Assert.Single(_od.Requests, r => r.StartsWith("/api/v1/patients/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NextPoll_AsksForChangesSinceTheStoredCursor_AndSendsOnlyNewVersions()
    {
        using var connector = new Connector(_gateway, _temp.File("state.db"));
        await PollAsync(connector);
        var firstCursor = connector.State.Cursor("test", "appointments");

        _od.Now = _od.Now.AddHours(2);
        _od.Touch(_od.Appointments[0], ("AptStatus", "Complete"));
        _od.Touch(_od.Recalls[0], ("Note", "called, left message"));   // touched, same due date: the same fact
        await PollAsync(connector);

        Assert.Equal("2026-11-20 09:00:00", firstCursor);
        Assert.Contains("/api/v1/appointments?DateTStamp=2026-11-20%2009%3A00%3A00&Limit=100&Offset=0", _od.Requests);
        Assert.Equal(["Appointment Booked", "Recall Due", "Appointment Completed"], _gateway.Accepted.Select(e => (string)e["event"]!));
        Assert.Equal("2026-11-20 11:00:00", connector.State.Cursor("test", "appointments"));
        Assert.Equal("2026-11-20 11:00:00", connector.State.Cursor("test", "recalls"));
        Assert.Equal((1, 3), ((int)connector.Status.RowsAlreadySent, (int)connector.Status.RowsSent));
    }

    [Fact]
    public async Task RecallWithAScheduledDate_IsRecallScheduled_AndDeceasedPatientsAreNeverSent()
    {
        _od.AddPatient(1002, "Bo", "Lune", "bo@example.org", "(617) 555-0102", "1980-01-01", "02139", status: "Deceased");
        _od.AddRecall(5002, 1002, "2025-10-01", "2025-04-01");
        _od.Touch(_od.Recalls[0], ("DateScheduled", "2026-12-03"));
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        await PollAsync(connector);

        Assert.Equal(["Appointment Booked", "Recall Scheduled"], _gateway.Accepted.Select(e => (string)e["event"]!));
        Assert.Equal(1, connector.Status.RowsRefused);
    }

    [Fact]
    public async Task WrongKeys_StopThePoll_WithoutMovingTheCursor_OrNamingTheKeys()
    {
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        var error = await Assert.ThrowsAsync<OpenDentalException>(() => PollAsync(connector, customerKey: "wrongCUSTOMER"));

        Assert.True(error.IsAuthentication);
        Assert.DoesNotContain("wrongCUSTOMER", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeOpenDental.DeveloperKey, error.Message, StringComparison.Ordinal);
        Assert.Null(connector.State.Cursor("test", "appointments"));
        Assert.Empty(_gateway.Accepted);
    }

    [Fact]
    public async Task RateLimitAndServerErrors_AreRetried_UntilThePollCompletes()
    {
        _od.Faults.Enqueue(429);
        _od.Faults.Enqueue(503);
        _od.Faults.Enqueue(500);
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        await PollAsync(connector);

        Assert.Equal(2, _gateway.Accepted.Count);
        Assert.Empty(_od.Faults);
    }

    [Fact]
    public async Task ServerErrors_BeyondTheAttempts_FailThePoll_AndTheNextPollSendsEverything()
    {
        for (var i = 0; i < 6; i++)
        {
            _od.Faults.Enqueue(503);
        }

        using var connector = new Connector(_gateway, _temp.File("state.db"));
        await Assert.ThrowsAsync<OpenDentalException>(() => PollAsync(connector, maxAttempts: 3));

        await PollAsync(connector);

        Assert.Equal(2, _gateway.Accepted.Count);
    }

    [Fact]
    public async Task CrashMidPoll_ResumesWithoutLossOrDuplicates()
    {
        for (var i = 0; i < 45; i++)
        {
            _od.AddAppointment(9000 + i, CanaryPatNum, i % 3 == 0 ? "Broken" : "Complete", new DateTime(2026, 9, 1, 9, 0, 0).AddDays(i));
        }

        // The third batch never gets through (the gateway keeps answering 503): the run stops there.
        _gateway.Respond = n => n is 3 or 4 ? 503 : 200;
        using (var crashed = new Connector(_gateway, _temp.File("state.db")))
        {
            await Assert.ThrowsAsync<GatewayUnavailableException>(() => PollAsync(crashed));
            Assert.Null(crashed.State.Cursor("test", "appointments"));
        }

        // A new process on the same state file.
        using var resumed = new Connector(_gateway, _temp.File("state.db"));
        await PollAsync(resumed);

        var ids = _gateway.Accepted.Select(e => (string)e["messageId"]!).ToList();
        Assert.Equal(47, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal((47, 20), ((int)resumed.Status.RowsSent, (int)resumed.Status.RowsAlreadySent));
    }

    [Fact]
    public async Task AcceptedButUnacknowledgedBatch_IsResentWithTheSameMessageIds_AndRecordedOnce()
    {
        // The gateway takes the first batch but its answer is lost: the connector cannot tell, so it resends the same events.
        _gateway.LoseAnswer = n => n == 1;
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        await PollAsync(connector);

        var ids = _gateway.Accepted.Select(e => (string)e["messageId"]!).ToList();
        // The appointment twice under one id (the scoring service counts it once), then the recall.
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(2, ids.Distinct().Count());
        Assert.Equal(2, (int)connector.Status.RowsSent);
    }

    [Fact]
    public async Task StateFileAndErrors_HoldNoPatientIdentifier()
    {
        using (var connector = new Connector(_gateway, _temp.File("state.db")))
        {
            await PollAsync(connector);
            _gateway.Respond = _ => 503;
            _od.Now = _od.Now.AddHours(1);
            _od.Touch(_od.Appointments[0], ("AptStatus", "Broken"));
            var error = await Assert.ThrowsAsync<GatewayUnavailableException>(() => PollAsync(connector));
            Assert.DoesNotContain(CanaryEmail, error.Message, StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetString(File.ReadAllBytes(_temp.File("state.db")) is var db ? db : []);
        foreach (var canary in new[] { CanaryEmail, CanaryName, CanaryPatNum.ToString(System.Globalization.CultureInfo.InvariantCulture), "555-0191", "1969-03-14", "02139" })
        {
            Assert.DoesNotContain(canary, bytes, StringComparison.Ordinal);
            foreach (var file in Directory.GetFiles(_temp.Path))
            {
                Assert.DoesNotContain(canary, File.ReadAllText(file, Encoding.Latin1), StringComparison.Ordinal);
            }
        }
    }

    private async Task PollAsync(Connector connector, string customerKey = FakeOpenDental.CustomerKey, int maxAttempts = 4)
    {
        var options = new OpenDentalOptions
        {
            BaseUrl = _od.BaseUrl,
            DeveloperKey = FakeOpenDental.DeveloperKey,
            CustomerKey = customerKey,
            MinRequestInterval = TimeSpan.Zero,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            MaxAttempts = maxAttempts,
            Clinics = new Dictionary<string, string> { ["1"] = "back-bay" },
            Identity = PatientIdentity.Email,
        };
        var poller = new OpenDentalPoller(connector.Name, new OpenDentalClient(_http, options, TimeProvider.System), options, connector.Delivery, connector.State, new FixedClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        await poller.PollAsync(CancellationToken.None);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
