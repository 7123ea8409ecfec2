using System.Text.Json;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Processing;

public class PolicyExplainerTests
{
    private static readonly CompiledPolicy s_dental = new PolicyLoader().LoadOrThrow(RepoPaths.Policy("dental"));

    private static EventExplanation Explain(CompiledPolicy policy, string json, bool showValues = false)
    {
        using var document = JsonDocument.Parse(json);
        return PolicyExplainer.Explain(policy, document.RootElement, FixturePractice.Create(policy.Name, ["021"]), new DateOnly(2026, 11, 22), showValues: showValues);
    }

    private static string AppointmentFixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Policy("dental"), "fixtures", "appointment-requested.fixture.json"))).RootElement.GetProperty("input").GetRawText();

    [Fact]
    public void EveryField_IsExplained_WithTheRuleThatMatched_AndWhereItIsWritten()
    {
        var explanation = Explain(s_dental, AppointmentFixture());
        Assert.Equal("forward", explanation.Disposition);
        Assert.Equal("track:Appointment Requested", explanation.EventType);

        var email = explanation.Fields.Single(f => f.Path == "properties.email");
        Assert.Equal("drop", email.Action);
        Assert.Equal("dropped", email.Outcome);
        Assert.Equal(["email_valid"], email.Derived);
        Assert.Equal(RuleScope.EventType, email.Scope);
        Assert.Equal("policy.yaml", email.RuleLocation!.File);
        Assert.Equal(File.ReadAllLines(Path.Combine(RepoPaths.Policy("dental"), "policy.yaml")).ToList().FindIndex(l => l.Contains("properties.email: { action: drop, derive: [email_valid] }", StringComparison.Ordinal)) + 1,
            explanation.Fields.Single(f => f.Path == "properties.email").RuleLocation!.Line);

        var zip = explanation.Fields.Single(f => f.Path == "properties.zip");
        Assert.Equal("generalize:zip3", zip.Action);
        Assert.Equal("written", zip.Outcome);
        Assert.Contains("in_service_area", zip.Derived);

        var notes = explanation.Fields.Single(f => f.Path == "properties.notes");
        Assert.Equal("redact-text", notes.Action);
        Assert.Contains("email", notes.Detectors);

        var ip = explanation.Fields.Single(f => f.Path == "context.ip");
        Assert.Equal(RuleScope.Common, ip.Scope);
        Assert.Contains("fields.\"context.ip\"", ip.Why);

        Assert.Contains(explanation.Fields, f => f.RulePath is null && f.Why.Contains("allow-list", StringComparison.Ordinal));
        Assert.Contains("\"zip\": \"021\"", explanation.Output);
    }

    [Fact]
    public void InputValues_AreShown_OnlyWhenAskedFor()
    {
        var hidden = Explain(s_dental, AppointmentFixture());
        Assert.All(hidden.Fields, f => Assert.Null(f.Value));
        Assert.DoesNotContain("Jane", JsonSerializer.Serialize(hidden.Fields));

        var shown = Explain(s_dental, AppointmentFixture(), showValues: true);
        Assert.Equal("Jane", shown.Fields.Single(f => f.Path == "properties.first_name").Value);
    }

    [Fact]
    public void TextADetectorStillFindsInTheOutput_IsReported()
    {
        using var folder = TestPolicyFolder.With("properties.notes: redact-text", "properties.notes: { action: keep }");
        var explanation = Explain(folder.LoadValid(), """
            {"type":"track","event":"Form Submitted","userId":"u1","properties":{"topic":"implants","notes":"write to jane@example.com"}}
            """);
        var finding = Assert.Single(explanation.Findings);
        Assert.Equal("properties.notes", finding.Path);
        Assert.Contains("email", finding.Detectors);
    }

    [Fact]
    public void RejectedEvent_IsExplained_WithItsViolations_AndNoOutput()
    {
        var explanation = Explain(s_dental, """{"type":"track","event":"Appointment Requested","userId":"u1","properties":{"new_patient":"yes"}}""");
        Assert.Equal("rejected", explanation.Disposition);
        Assert.Equal("schema-invalid", explanation.Reason);
        Assert.NotEmpty(explanation.Violations);
        Assert.Null(explanation.Output);
        Assert.All(explanation.Fields, f => Assert.Equal("not-forwarded", f.Outcome));
    }
}
