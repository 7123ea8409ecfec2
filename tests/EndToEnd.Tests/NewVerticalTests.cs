extern alias cli;

using System.Net;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// docs/adding-a-vertical.md, followed as written: scaffold with <c>gatewayctl policy new</c>, lint, deploy the
/// folder to both services, and the vertical's first lead is scored (not refused and dead-lettered, as a vertical
/// without scoring configuration was before). Lint refuses the folder once its scoring.yaml is gone.
/// </summary>
public sealed class NewVerticalTests
{
    private const string Vertical = "physical-therapy";

    [Fact]
    public async Task AVerticalAddedByTheGuide_ScoresItsFirstLead()
    {
        var policies = Path.Combine(Path.GetTempPath(), "gw-e2e-vertical", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(policies);
        foreach (var schema in Directory.GetFiles(RepoPaths.Policies, "*.schema.json"))
        {
            File.Copy(schema, Path.Combine(policies, Path.GetFileName(schema)));
        }

        // 1. Scaffold, 3. lint (the guide's steps; the template passes as it is, scoring.yaml included).
        var (created, output) = await CtlAsync("policy", "new", Vertical, "--into", policies);
        Assert.True(created == 0, output);
        Assert.Contains("scoring.yaml", output);
        var (linted, lint) = await CtlAsync("policy", "lint", Path.Combine(policies, Vertical));
        Assert.True(linted == 0, lint);

        // Deploy: both services read the folder; the practice's service area covers the lead's ZIP3.
        await using (var stack = await StackFixture.StartAsync(serviceArea: ["606"], policies: policies, vertical: Vertical))
        {
            Assert.Equal(HttpStatusCode.OK, (await new HttpClient { BaseAddress = stack.Gateway.Address }.GetAsync("/health/ready")).StatusCode);

            var fixture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(policies, Vertical, "fixtures", "lead-form-submitted.fixture.json")))!;
            var lead = fixture["input"]!.AsObject();
            lead["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
            lead["context"]!["consent"] = Events.Consent(analytics: true);
            var sent = await stack.GatewayClient().PostAsync("/v1/track", Events.Json(lead));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

            var subject = Uri.EscapeDataString(StackFixture.Pseudonym((string)lead["userId"]!));
            JsonNode? scored = null;
            await Wait.UntilAsync(() =>
            {
                var response = stack.ScoringClient().GetAsync($"/api/leads/{StackFixture.Practice}/{subject}").Result;
                scored = response.IsSuccessStatusCode ? JsonNode.Parse(response.Content.ReadAsStringAsync().Result) : null;
                return scored is not null;
            }, "the new vertical's lead at the scoring service", 30);
            Assert.Equal(Vertical, (string?)scored!["vertical"]);
            Assert.Equal("mql", (string?)scored["stage"]);
        }

        // Without its scoring configuration the vertical would half-work: lint says so.
        File.Delete(Path.Combine(policies, Vertical, "scoring.yaml"));
        var (refused, missing) = await CtlAsync("policy", "lint", Path.Combine(policies, Vertical));
        Assert.NotEqual(0, refused);
        Assert.Contains($"the scoring service cannot score vertical '{Vertical}'", missing);
        Directory.Delete(policies, recursive: true);
    }

    private static async Task<(int Exit, string Output)> CtlAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await cli::Gateway.Cli.GatewayCtl.RunAsync(args, new cli::Gateway.Cli.CliConsole(stdout, stderr, TextReader.Null, isTerminal: false));
        return (exit, stdout + "\n" + stderr);
    }
}
