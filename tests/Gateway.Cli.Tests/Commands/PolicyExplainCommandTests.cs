using System.Text.Json;
using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Commands;

public class PolicyExplainCommandTests : IDisposable
{
    private readonly TempDirectory _work = new("explain");

    public void Dispose() => _work.Dispose();

    private static string Fixture(string name) => Path.Combine(RepoPaths.Policy("dental"), "fixtures", name + ".fixture.json");

    [Fact]
    public void ExplainsEveryField_WithRuleAndLocation_WithoutInputValues()
    {
        var result = Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), Fixture("appointment-requested"), "--today", "2026-11-22", "--service-area", "021");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("event type track:Appointment Requested, disposition forward. Dry run: nothing was sent or audited.", result.Out);
        Assert.Matches(@"│ properties\.email\s+│ string\s+│ drop\s+│ dropped\s+│ drop derive \[email_valid\] @ policy\.yaml:\d+:\d+", result.Out);
        Assert.Matches(@"│ properties\.ssn\s+│ string\s+│ drop\s+│ dropped\s+│ -\s+│ no rule names this field", result.Out);
        Assert.Contains("\"zip\": \"021\"", result.Out);
        Assert.Contains("No detector finds anything unexpected in the output.", result.Out);

        // Sample events may be real: input values appear only on request.
        Assert.DoesNotContain("Jane", result.Out);
        Assert.DoesNotContain("617", result.Out);
        Assert.Contains("Jane", Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), Fixture("appointment-requested"), "--show-values").Out);
    }

    [Fact]
    public void ThePracticesDomainsAndValues_DecideWhichHostsAndLocationsAreKept()
    {
        var sample = _work.File("service-page.json");
        File.WriteAllText(sample, """
            {
              "type": "track", "event": "Service Page Viewed", "messageId": "m-1", "userId": "u-1", "timestamp": "2026-11-22T10:00:00Z",
              "context": { "page": { "url": "https://harborview.example/locations/harbor-point?utm_source=mail", "path": "/locations/harbor-point" } },
              "properties": { "service_line": "implants", "location_id": "harbor-point" }
            }
            """);
        JsonElement Output(params string[] options)
        {
            var result = Ctl.Run(["policy", "explain", RepoPaths.Policy("dental"), sample, "--format", "json", .. options]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return JsonDocument.Parse(result.Out).RootElement.GetProperty("output").Clone();
        }

        var fixture = Output();
        Assert.Equal("https://:host/locations/:redacted", fixture.GetProperty("context").GetProperty("page").GetProperty("url").GetString());
        Assert.False(fixture.GetProperty("properties").TryGetProperty("location_id", out _));

        var practice = Output("--domain", "harborview.example", "--value", "location=harbor-point", "--value", "location=brookline");
        Assert.Equal("https://harborview.example/locations/harbor-point", practice.GetProperty("context").GetProperty("page").GetProperty("url").GetString());
        Assert.Equal("harbor-point", practice.GetProperty("properties").GetProperty("location_id").GetString());

        Assert.Equal(2, Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), sample, "--value", "back-bay").ExitCode);
    }

    [Fact]
    public void Json_IsMachineReadable()
    {
        var result = Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), Fixture("identify"), "--format", "json");
        using var document = JsonDocument.Parse(result.Out);
        Assert.Equal("identify", document.RootElement.GetProperty("eventType").GetString());
        Assert.Contains(document.RootElement.GetProperty("fields").EnumerateArray(), f => f.GetProperty("path").GetString() == "traits.email" && f.GetProperty("scope").GetString() == "event-type");

        // The forwarded event is part of the document, not a string holding JSON.
        var output = document.RootElement.GetProperty("output");
        Assert.Equal(JsonValueKind.Object, output.ValueKind);
        Assert.Equal("identify", output.GetProperty("type").GetString());
    }

    [Fact]
    public void TextADetectorStillFinds_IsAWarning_AndFailsWithStrict()
    {
        using var policies = new PolicyCopy("dental");
        policies.Edit("dental", "policy.yaml", "      properties.notes:\n        action: redact-text", "      properties.notes:\n        action: keep");
        var result = Ctl.Run("policy", "explain", policies.Folder("dental"), Fixture("appointment-requested"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: properties.notes: detectors still fire in the output: date, email, mrn, person-name, phone", result.Out);
        Assert.Equal(1, Ctl.Run("policy", "explain", policies.Folder("dental"), Fixture("appointment-requested"), "--strict").ExitCode);
    }

    [Fact]
    public void RejectedEvent_ShowsItsViolations()
    {
        var result = Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), Fixture("invalid-event"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("disposition rejected (schema-invalid)", result.Out);
        Assert.Contains("schema violation:", result.Out);
    }

    [Fact]
    public void UsageErrors_Exit2_WithoutEchoingTheEvent()
    {
        Assert.Equal(2, Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), Path.Combine(_work.Path, "missing.json")).ExitCode);
        Assert.Equal(2, Ctl.Run("policy", "explain", RepoPaths.Policies, Fixture("identify")).ExitCode);
        Assert.Equal(2, Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), Fixture("identify"), "--today", "yesterday").ExitCode);
        var broken = Path.Combine(_work.Path, "broken.json");
        File.WriteAllText(broken, "{\"userId\": \"secret-patient-42\", oops}");
        var result = Ctl.Run("policy", "explain", RepoPaths.Policy("dental"), broken);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("invalid JSON at line 1", result.Error);
        Assert.DoesNotContain("secret-patient-42", result.All);
        Assert.DoesNotContain("oops", result.All);
    }
}
