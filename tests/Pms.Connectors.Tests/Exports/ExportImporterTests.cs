using System.Text;
using Gateway.Compliance.Tests.TestSupport;
using Pms.Connectors.Delivery;
using Pms.Connectors.Events;
using Pms.Connectors.Exports;
using Pms.Connectors.Tests.Support;

namespace Pms.Connectors.Tests.Exports;

public sealed class ExportImporterTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = new(2026, 11, 20);

    private readonly TempDirectory _temp = new("exports");
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("dentrix-recall", 40, 32, 8)]
    [InlineData("eaglesoft-recall", 25, 20, 5)]
    public async Task RecallExport_EveryRowBecomesAnEvent_AndTheFileMovesToProcessed(string mappingName, int rows, int due, int scheduled)
    {
        var mapping = ExportFaker.Mapping(mappingName);
        var file = ExportFaker.Write(_temp.Path, "recall.csv", mapping, ExportFaker.Recalls(mapping, rows, s_today));
        using var connector = new Connector(_gateway, _temp.File("state.db"), batchSize: 7);

        var report = await ImportAsync(connector, file);

        Assert.Equal((rows, rows, 0, 0, mappingName), (report.RowsRead, report.RowsSent, report.RowsRefused, report.Errors.Count, report.Mapping));
        Assert.Equal(due, _gateway.Accepted.Count(e => (string)e["event"]! == "Recall Due"));
        Assert.Equal(scheduled, _gateway.Accepted.Count(e => (string)e["event"]! == "Recall Scheduled"));
        Assert.All(_gateway.Accepted, e => Assert.Equal(mapping.System, (string)e["properties"]!["source_system"]!));
        Assert.DoesNotContain(_gateway.Accepted, e => (string)e["properties"]!["recall_type"]! == "other");
        Assert.False(File.Exists(file));
        Assert.StartsWith(Path.Combine(_temp.Path, "processed"), report.MovedTo, StringComparison.Ordinal);
        Assert.True(File.Exists(report.MovedTo));
        Assert.True(File.Exists(report.MovedTo + ".report.txt"));
    }

    [Theory]
    [InlineData("dentrix-appointments")]
    [InlineData("eaglesoft-appointments")]
    public async Task AppointmentExport_StatusWordsBecomeBookedCompletedBroken(string mappingName)
    {
        var mapping = ExportFaker.Mapping(mappingName);
        var rows = ExportFaker.Appointments(mapping, 30, s_today);
        var file = ExportFaker.Write(_temp.Path, "appointments.csv", mapping, rows);
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        var report = await ImportAsync(connector, file);

        Assert.Equal((30, 30), (report.RowsRead, report.RowsSent));
        var expected = rows.Select(r => mapping.Values["status"][r["status"]] switch
        {
            "booked" => "Appointment Booked",
            "completed" => "Appointment Completed",
            _ => "Appointment Broken",
        });
        Assert.Equal(expected, _gateway.Accepted.Select(e => (string)e["event"]!));
        Assert.All(_gateway.Accepted, e => Assert.NotEqual("general", (string)e["properties"]!["service_line"]!));
    }

    [Fact]
    public async Task RowErrors_NameTheRowAndColumn_NeverTheValue()
    {
        var mapping = ExportFaker.Mapping("dentrix-recall");
        var rows = ExportFaker.Recalls(mapping, 8, s_today);
        rows[2]["due_date"] = "31/31/CANARY-DATE";
        rows[4]["patient_id"] = "";
        rows[6]["birth_date"] = "CANARY-BIRTH";
        var canaryName = rows[2]["last_name"];
        var file = ExportFaker.Write(_temp.Path, "recall.csv", mapping, rows);
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        var report = await ImportAsync(connector, file);

        Assert.Equal(
            [
                "row 3, column 'Due Date': not a date in MM/dd/yyyy or M/d/yyyy or yyyy-MM-dd",
                "row 5, column 'Chart Number': a value is required",
                "row 7, column 'Birthdate': not a date in MM/dd/yyyy or M/d/yyyy or yyyy-MM-dd",
            ],
            report.Errors.Select(e => e.ToString()));
        Assert.Equal((8, 5, 3), (report.RowsRead, report.RowsSent, report.RowsRefused));
        Assert.Equal(3, connector.Status.RowsRefused);
        var text = report.ToText() + File.ReadAllText(report.MovedTo + ".report.txt");
        foreach (var canary in new[] { "CANARY", canaryName, rows[2]["email"] })
        {
            Assert.DoesNotContain(canary, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownExport_GoesToFailed_WithWhatEachMappingNeeds()
    {
        File.WriteAllText(_temp.File("other.csv"), "Name,Balance\r\nCanary Person,12.00\r\n");
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        var report = await ImportAsync(connector, _temp.File("other.csv"));

        Assert.True(report.Failed);
        Assert.StartsWith(Path.Combine(_temp.Path, "failed"), report.MovedTo, StringComparison.Ordinal);
        Assert.Contains("dentrix-recall needs 'Chart Number', 'Continuing Care Type', 'Due Date'", report.FileErrors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Canary", report.ToText(), StringComparison.Ordinal);
        Assert.Empty(_gateway.Accepted);
    }

    [Fact]
    public async Task ReImport_OfTheSameExport_SendsNothingAgain()
    {
        var mapping = ExportFaker.Mapping("eaglesoft-recall");
        var rows = ExportFaker.Recalls(mapping, 12, s_today);
        using var connector = new Connector(_gateway, _temp.File("state.db"));
        await ImportAsync(connector, ExportFaker.Write(_temp.Path, "monday.csv", mapping, rows));

        // Tuesday's export lists the same recalls, one of them now due a cycle later (a new fact).
        rows[0]["due_date"] = ExportFaker.Date(mapping, s_today.AddMonths(5));
        var report = await ImportAsync(connector, ExportFaker.Write(_temp.Path, "tuesday.csv", mapping, rows));

        Assert.Equal((12, 1, 11), (report.RowsRead, report.RowsSent, report.RowsAlreadySent));
        Assert.Equal(13, _gateway.Accepted.Select(e => (string)e["messageId"]!).Distinct().Count());
        Assert.Equal(13, _gateway.Accepted.Count);
    }

    [Fact]
    public async Task CrashMidImport_LeavesTheFile_AndTheNextImportSendsTheRestExactlyOnce()
    {
        var mapping = ExportFaker.Mapping("dentrix-appointments");
        var file = ExportFaker.Write(_temp.Path, "appointments.csv", mapping, ExportFaker.Appointments(mapping, 35, s_today));
        _gateway.Respond = n => n is 2 or 3 ? 503 : 200;
        using (var crashed = new Connector(_gateway, _temp.File("state.db")))
        {
            await Assert.ThrowsAsync<GatewayUnavailableException>(() => ImportAsync(crashed, file));
        }

        Assert.True(File.Exists(file));
        using var resumed = new Connector(_gateway, _temp.File("state.db"));
        var report = await ImportAsync(resumed, file);

        var ids = _gateway.Accepted.Select(e => (string)e["messageId"]!).ToList();
        Assert.Equal(35, ids.Count);
        Assert.Equal(35, ids.Distinct().Count());
        Assert.Equal((35, 25, 10), (report.RowsRead, report.RowsSent, report.RowsAlreadySent));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task EventsTheGatewayRefuses_AreCountedRefused_AndNotSentAgain()
    {
        var mapping = ExportFaker.Mapping("dentrix-recall");
        var file = ExportFaker.Write(_temp.Path, "recall.csv", mapping, ExportFaker.Recalls(mapping, 6, s_today));
        _gateway.RefuseEvent = e => (string)e["properties"]!["patient_number"]! == "DX70001";
        using var connector = new Connector(_gateway, _temp.File("state.db"));

        var report = await ImportAsync(connector, file);

        Assert.Equal((6, 5, 1), (report.RowsRead, report.RowsSent, report.RowsRefused));
        Assert.Equal((5, 1), ((int)connector.Status.RowsSent, (int)connector.Status.RowsRefused));
    }

    [Fact]
    public void CsvReader_ReadsQuotedFields_WithCommasQuotesAndLineBreaks()
    {
        var reader = new CsvReader(new StringReader("\uFEFFa,\"b,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x,\r\nlast"));

        Assert.Equal("1: a|b,1|say \"hi\"", Show(reader.Next()));
        Assert.Equal("2: two\nlines|x|", Show(reader.Next()));
        Assert.Equal("4: last", Show(reader.Next()));
        Assert.Null(reader.Next());
    }

    [Fact]
    public void ShippedMappings_AllLoad_AndCoverBothExportsOfBothVendors()
    {
        Assert.Equal(
            ["dentrix-appointments", "dentrix-recall", "eaglesoft-appointments", "eaglesoft-recall"],
            ExportMapping.Shipped().Select(m => m.Name));
        var error = Assert.Throws<ConnectorConfigurationException>(() => ExportMapping.Parse("broken", """{"system":"x","export":"recall","columns":{"colour":"C"},"required":[],"dateFormats":[]}"""));
        Assert.Equal(
            [
                "mapping 'broken': columns: unknown field 'colour'",
                "mapping 'broken': required: a recall export needs 'patient_id'",
                "mapping 'broken': required: a recall export needs 'recall_type'",
                "mapping 'broken': required: a recall export needs 'due_date'",
                "mapping 'broken': 'dateFormats' must list at least one format",
            ],
            error.Problems);
    }

    private static string Show((int Line, List<string> Fields)? record) => $"{record!.Value.Line}: {string.Join('|', record.Value.Fields)}";

    private static Task<ImportReport> ImportAsync(Connector connector, string file) =>
        new ExportImporter(new ImportOptions { Mappings = ExportMapping.Shipped(), Identity = PatientIdentity.Email }, connector.Delivery, new FixedClock())
            .ImportAsync(file, CancellationToken.None);

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
    }
}
