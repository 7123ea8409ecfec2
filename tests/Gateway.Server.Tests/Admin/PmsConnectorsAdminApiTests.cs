using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Pms.Connectors.State;

namespace Gateway.Server.Tests.Admin;

public class PmsConnectorsAdminApiTests
{
    [Fact]
    public async Task ConnectorStatus_FromTheStateFile_IsOnTheAdminApi_AndInMetrics()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "pms", "state.db");
        using (var state = ConnectorStateStore.Open(stateFile, TimeProvider.System))
        {
            state.RunStarted("open_dental");
            state.CountRows("open_dental", 3, 1, 0);
            state.RecordBatch("open_dental", ["pms-a", "pms-b"], []);
            state.SetCursor("open_dental", "appointments", "2026-11-20 09:00:00");
            state.RunFinished("open_dental", "completed");
        }

        var adminPort = GatewayProcess.FreePort();
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Admin:Port"] = adminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Pms:StatePath"] = stateFile,
        }, kestrelPorts: [GatewayProcess.FreePort(), adminPort]);

        var answer = JsonNode.Parse(await gateway.AdminClient(GatewayHarness.ComplianceKey).GetStringAsync("/admin/v1/pms/connectors"))!;
        var connector = answer["connectors"]!.AsArray().Single()!;
        Assert.Equal(("open_dental", 3, 2, 1, "2026-11-20 09:00:00", "completed"), (
            (string?)connector["connector"], (int)connector["rowsRead"]!, (int)connector["rowsSent"]!, (int)connector["rowsRefused"]!,
            (string?)connector["cursors"]!["appointments"], (string?)connector["lastOutcome"]));

        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        var scrape = await admin.GetStringAsync("/metrics");
        Assert.Matches("gateway_pms_rows\\{[^}]*connector=\"open_dental\"[^}]*outcome=\"sent\"[^}]*\\} 2", scrape);
        Assert.Matches("gateway_pms_rows\\{[^}]*connector=\"open_dental\"[^}]*outcome=\"refused\"[^}]*\\} 1", scrape);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/admin/v1/pms/connectors")).StatusCode);   // no admin key
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.AnonymousClient().GetAsync("/admin/v1/pms/connectors")).StatusCode);   // not on the public port
    }

    [Fact]
    public async Task WithoutAStateFile_TheConnectorStatusIs404()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var response = await gateway.AdminClient(GatewayHarness.ComplianceKey).GetAsync("/admin/v1/pms/connectors");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
