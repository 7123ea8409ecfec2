using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Gateway.DevStack;

/// <summary>Starts the scoring service, then the gateway in front of it, and records the demo practice's BAA.</summary>
internal static class StackLauncher
{
    public static async Task<int> RunAsync(StackLayout layout, CancellationToken stop)
    {
        var stale = StaleChildren.Find(layout);
        if (stale.Count > 0)
        {
            foreach (var problem in stale)
            {
                Console.Error.WriteLine(problem);
            }

            Console.Error.WriteLine("The stack was not started.");
            return 2;
        }

        var secrets = DemoSecrets.LoadOrCreate(layout.DemoSecrets);
        var scoringData = Path.Combine(layout.Data, "scoring");
        var gatewayData = Path.Combine(layout.Data, "gateway");

        using var scoring = ChildService.Start("scoring", StackLayout.BuiltDll("ScoringDll"), layout.Scoring.ToString(), layout.Root, new Dictionary<string, string>
        {
            ["Ingest:TokenSha256"] = DemoSecrets.Sha256(secrets.ForwardingToken),
            ["Api:Keys:demo"] = DemoSecrets.Sha256(secrets.ScoringApiKey),
            ["Scoring:DataDirectory"] = scoringData,
            ["Scoring:PoliciesDirectory"] = layout.Policies,
        });
        StaleChildren.Record(layout, [scoring]);
        await scoring.WaitReadyAsync(new Uri(layout.Scoring, "/health/ready"), TimeSpan.FromSeconds(60));

        using var gateway = ChildService.Start("gateway", StackLayout.BuiltDll("GatewayDll"), $"{layout.Gateway};{layout.Admin}", layout.Root, new Dictionary<string, string>
        {
            ["Gateway:PoliciesPath"] = layout.Policies,
            ["Gateway:DataPath"] = gatewayData,
            ["Gateway:InstanceId"] = "gw-demo",
            ["Gateway:Practices:0:Id"] = StackLayout.Practice,
            ["Gateway:Practices:0:Vertical"] = "dental",
            ["Gateway:Practices:0:WriteKeySha256:0"] = DemoSecrets.Sha256(secrets.WriteKey),
            ["Gateway:Practices:0:PseudonymKeys:0:Id"] = StackLayout.PseudonymKeyId,
            ["Gateway:Practices:0:PseudonymKeys:0:SecretFile"] = secrets.PseudonymKeyFile,
            ["Gateway:Practices:0:PseudonymKeys:0:Active"] = "true",
            ["Gateway:Practices:0:ServiceArea:0"] = "021",
            ["Gateway:Practices:0:ServiceArea:1"] = "024",
            ["Gateway:Practices:0:Domains:0"] = "smile-dental.example",
            ["Gateway:Practices:0:Domains:1"] = "smile.example",
            ["Gateway:Practices:0:Values:location:0"] = "back-bay",
            ["Gateway:Practices:0:Values:location:1"] = "brookline",
            ["Gateway:Practices:0:Values:provider:0"] = "dr-okafor",
            ["Gateway:Forwarding:TokenFile"] = secrets.ForwardingTokenFile,
            ["Gateway:Admin:Port"] = layout.AdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Admin:Keys:0:Name"] = "demo-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = DemoSecrets.Sha256(secrets.AdminKey),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["Gateway:Admin:Keys:1:Name"] = "demo-compliance-officer",
            ["Gateway:Admin:Keys:1:Sha256"] = DemoSecrets.Sha256(secrets.ComplianceKey),
            ["Gateway:Admin:Keys:1:Role"] = "compliance",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = layout.Scoring.ToString(),
        });
        StaleChildren.Record(layout, [scoring, gateway]);
        try
        {
            await gateway.WaitReadyAsync(new Uri(layout.Gateway, "/health/ready"), TimeSpan.FromSeconds(60));
            await EnsureBaaAsync(layout, secrets);

            // Only now, and only if both children (not something else on their ports) are still running.
            if (gateway.HasExited || scoring.HasExited)
            {
                Console.Error.WriteLine("A service stopped while the stack was starting; see its output above.");
                return 1;
            }

            PrintBanner(layout, secrets, scoring, gateway);
            while (!stop.IsCancellationRequested && !gateway.HasExited && !scoring.HasExited)
            {
                await Task.Delay(500, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine("Stopping the stack.");
        var failed = gateway.HasExited || scoring.HasExited;
        gateway.Dispose();
        scoring.Dispose();
        StaleChildren.Forget(layout);
        Console.WriteLine("The stack is stopped.");
        return failed ? 1 : 0;
    }

    /// <summary>The demo BAA with the scoring service: in force from today for a year, covering what the dental policy sends.</summary>
    private static async Task EnsureBaaAsync(StackLayout layout, DemoSecrets secrets)
    {
        using var admin = new HttpClient { BaseAddress = layout.Admin };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets.AdminKey);
        var current = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/admin/v1/practices/{StackLayout.Practice}/baa");
        if (current?["current"]?.AsArray().Any(b => (bool?)b?["inForce"] == true) == true)
        {
            return;
        }

        var response = await admin.PostAsJsonAsync($"/admin/v1/practices/{StackLayout.Practice}/baa", new
        {
            destination = "scoring",
            effectiveFrom = DateTimeOffset.UtcNow.AddMinutes(-1),
            expiresAt = DateTimeOffset.UtcNow.AddYears(1),
            documentReference = "demo/baa-scoring-service.pdf",
            covers = new[] { "pseudonymous-id", "redacted-text", "url", "date" },
        });
        response.EnsureSuccessStatusCode();
    }

    private static void PrintBanner(StackLayout layout, DemoSecrets secrets, ChildService scoring, ChildService gateway)
    {
        Console.WriteLine($"""

            ================================================================================
             The stack is up (Ctrl+C or kill {Environment.ProcessId} stops it; gateway PID {gateway.Id}, scoring PID {scoring.Id}).

             Gateway (Segment HTTP API)  {layout.Gateway}    write key: {secrets.WriteKey}
             Gateway admin API           {layout.Admin}    admin key: data/demo/admin-key.txt
             Compliance console          {layout.Admin}console    sign in with data/demo/compliance-key.txt (sees, exports)
                                         or data/demo/admin-key.txt (also revokes, records BAAs, replays, inspects)
             Scoring service             {layout.Scoring}    API key:   data/demo/scoring-api-key.txt
             Audit log                   data/gateway/audit
               verify: gatewayctl audit verify data/gateway/audit --checkpoints data/gateway/checkpoints --public-key data/gateway/checkpoint-keys
             Metrics (Prometheus)        {layout.Admin}metrics
             Admin API reference         {layout.Admin}scalar/admin    scoring API: {layout.Scoring}scalar/v1

             Send a day of events for a dental practice and see who became an MQL:
               dotnet run --project src/Gateway.DevStack -- demo
             Poll a sample Open Dental office, import Dentrix and Eaglesoft exports, see the recall leads:
               dotnet run --project src/Gateway.DevStack -- demo-pms
            ================================================================================

            """);
    }
}
