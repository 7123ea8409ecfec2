using Scoring.Engine.Configuration;
using Scoring.Tests.TestSupport;

namespace Scoring.Tests.Configuration;

public sealed class ScoringConfigLoaderTests : IDisposable
{
    private const string Valid = """
        vertical: dental
        version: "1"
        threshold: 60
        attributes:
          service_line: [properties.service_line]
        fit:
          service_line:
            points: { implants: 15 }
        intent:
          serviceLineMultiplier: 1.25
          events:
            Appointment Requested: { points: 45 }
        directQualification:
          - name: appointment
            event: Appointment Requested
            withinDays: 30
        stages:
          conversion: appointment
          sql: { criteria: [appointment_booked], minimum: 1 }
          disqualifyReasons: [spam]
          recycleReasons: [not_ready]
        routing:
          queues:
            scheduling: { sla: 4h }
          rules:
            - queue: scheduling
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "scoring-config-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Loads_AMinimalFile_WithTheDefaultDecay()
    {
        var result = Load(Valid);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(0.25, result.Config!.DecayPerQuarter);
        Assert.Equal(64, result.Config.Sha256.Length);
    }

    [Fact]
    public void Reports_EveryStructuralError_WithLineColumnAndPath()
    {
        var result = Load("""
            vertical: dental
            version: "1"
            threshold: "sixty"
            colour: blue
            attributes:
              service_line: properties.service_line
            fit: {}
            intent:
              events:
                Appointment Requested: { points: 45, weight: 2 }
            stages:
              conversion: booking
              sql: { criteria: [appointment_booked] }
              disqualifyReasons: [spam]
              recycleReasons: [not_ready]
            routing:
              timeZone: Mars/Olympus_Mons
              queues:
                scheduling: { sla: soon }
              rules:
                - queue: scheduling
            """);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                "scoring.yaml:4:1: colour: unknown key (allowed: vertical, version, description, threshold, decay, attributes, fit, intent, directQualification, automaticConversion, stages, leadTypes, routing)",
                "scoring.yaml:3:12: threshold: must be a number",
                "scoring.yaml:6:17: attributes.service_line: must be a list",
                "scoring.yaml:10:42: intent.events.\"Appointment Requested\".weight: unknown key (allowed: points, maxCount, variants)",
                "scoring.yaml:12:15: stages.conversion: must be 'appointment' or 'opportunity'",
                "scoring.yaml:13:8: stages.sql: 'minimum' is required",
                "scoring.yaml:17:13: routing.timeZone: unknown time zone 'Mars/Olympus_Mons' (use an IANA id such as America/New_York)",
                "scoring.yaml:19:24: routing.queues.scheduling.sla: 'soon' is not a duration: write a whole number and m, h, d or bd (business days), e.g. 4h or 1bd",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Reports_EverySemanticError_AtOnce()
    {
        var result = Load("""
            vertical: healthcare
            version: "1"
            threshold: 20
            decay: { perQuarter: 0.5 }
            attributes:
              service_line: [properties.servce_line]
              insurance_status: [properties.insurance_status]
            fit:
              service_line:
                points: { implants: 15 }
              age_band:
                points: { 45-54: 10 }
            intent:
              events:
                Appointment Requested:
                  points: 45
                  variants:
                    - when: { properties.colour: blue }
                      points: 50
                Demo Requested: { points: -5 }
            directQualification:
              - name: Appointment
                event: Appointment Requested
                minFit: 99
                withinDays: 30
            stages:
              conversion: appointment
              sql: { criteria: [appointment_booked], sufficient: [budget], minimum: 2 }
              disqualifyReasons: [spam, spam]
              recycleReasons: [not_ready]
            routing:
              queues:
                scheduling: { sla: 4h }
              rules:
                - queue: scheduling
                - when: { region: [west] }
                  queue: sales
            """);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                "scoring.yaml:1:11: vertical: the file is for vertical 'healthcare' but its folder is 'dental'",
                "scoring.yaml:4:22: decay.perQuarter: must be between 0.2 and 0.3 (20-30% per quarter of inactivity)",
                "scoring.yaml:20:5: intent.events.\"Demo Requested\".points: must not be negative: intent only adds points",
                "scoring.yaml:6:3: attributes.service_line[0]: no event type of this vertical forwards 'properties.servce_line' (use properties.* or traits.* its policy keeps, derived.* features it derives, or context.campaign.*)",
                "scoring.yaml:11:3: fit.age_band: 'age_band' is not declared under attributes",
                "scoring.yaml:3:12: threshold: the best possible fit (25) reaches the threshold (20): raise the threshold or lower fit points, so that qualifying needs engagement",
                "scoring.yaml:18:19: intent.events.\"Appointment Requested\".variants[0].when.properties.colour: 'Appointment Requested' events do not forward 'properties.colour'",
                "scoring.yaml:20:5: intent.events.\"Demo Requested\": no schema in schemas/ has the title 'Demo Requested' (known: alias, Appointment Booked, Appointment Broken, Appointment Completed, Appointment Requested, Comparison Page Viewed, identify, New Mover Mail Responded, page, Pricing Page Viewed, Recall Due, Recall Responded, Recall Scheduled, Referral Submitted, Review Request Clicked, Service Page Viewed, SMS Reply Received, Treatment Guide Downloaded, Webinar Registered)",
                "scoring.yaml:22:5: directQualification[0].name: rule names use lower-case letters, digits, '_' and '-'",
                "scoring.yaml:22:5: directQualification[0].minFit: 99 is more than the best possible fit (25), so the rule could never hold",
                "scoring.yaml:27:3: stages.disqualifyReasons: 'spam' is listed twice",
                "scoring.yaml:27:3: stages.sql.sufficient: 'budget' is not one of the criteria",
                "scoring.yaml:27:3: stages.sql.minimum: must be between 1 and the number of criteria (1)",
                "scoring.yaml:36:7: routing.rules[1].queue: 'sales' is not declared under routing.queues",
                "scoring.yaml:36:7: routing.rules[1]: can never match: an earlier rule has no conditions",
                "scoring.yaml:36:15: routing.rules[1].when.region: 'region' is not declared under attributes",
                "scoring.yaml:32:3: routing.rules: the last rule must have no conditions, so that every MQL is routed",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Refuses_AnAutomaticConversion_BySystem_AfterAnUnknownEvent_AttributedToADroppedField()
    {
        var shipped = File.ReadAllText(Path.Combine(RepoPaths.Policy("dental"), ScoringConfig.FileName));
        var result = new ScoringConfigLoader().Load(Write(
            shipped.Replace("    actor: pms", "    actor: system", StringComparison.Ordinal)
                .Replace("after: [Recall Responded, Recall Scheduled]", "after: [Recall Answered]", StringComparison.Ordinal)
                .Replace("attributeTo: properties.source_system", "attributeTo: properties.patient_number", StringComparison.Ordinal),
            "dental"));

        Assert.Equal(
            [
                "automaticConversion[0].actor: must be a code other than 'system' (a conversion is not the score's doing)",
                "automaticConversion[0].after: no schema in schemas/ has the title 'Recall Answered'",
                "automaticConversion[0].attributeTo: 'Appointment Booked' events do not forward 'properties.patient_number'",
            ],
            result.Errors.Select(e => $"{e.Path}: {e.Message}"));
    }

    [Fact]
    public void Refuses_ANumberTest_OnAFieldThePolicyForwardsAsABand()
    {
        // The shipped digital-health policy generalizes minutes_attended with bounds [5, 15, 30, 60]: "30-60", never 42.
        var shipped = File.ReadAllText(Path.Combine(RepoPaths.Policy("digital-health"), ScoringConfig.FileName));
        var result = new ScoringConfigLoader().Load(Write(
            shipped.Replace("properties.minutes_attended: [30-60, 60+]", "properties.minutes_attended: { atLeast: 30 }", StringComparison.Ordinal),
            "digital-health"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(
            "intent.events.\"Webinar Attended\".variants[1].when.properties.minutes_attended: 'atLeast: 30' can never hold: in 'Webinar Attended' events "
            + "it is forwarded as one of <5, 5-15, 15-30, 30-60, 60+ (generalize: band, bounds [5, 15, 30, 60]), never a number; test the labels instead: [30-60, 60+]",
            $"{error.Path}: {error.Message}");
    }

    [Fact]
    public void Refuses_ValuesThePolicyNeverForwards_InVariantsDirectRulesFitAndRouting()
    {
        var result = Load(Valid
            .Replace("  service_line: [properties.service_line]", "  service_line: [properties.service_line]\n  urgency: [properties.urgency]\n  age_band: [derived.age_band]\n  phone_valid: [derived.phone_valid]", StringComparison.Ordinal)
            .Replace("    points: { implants: 15 }", "    points: { implants: 15 }\n  age_band:\n    points: { 45-54: 8, 90-plus: 2 }\n  phone_valid:\n    points: { \"yes\": 3 }", StringComparison.Ordinal)
            .Replace("    event: Appointment Requested\n", "    event: Appointment Requested\n    when: { properties.urgency: [soon, asap] }\n", StringComparison.Ordinal)
            .Replace("    - queue: scheduling", "    - when: { urgency: [emergency, urgent, critical] }\n      queue: scheduling\n    - queue: scheduling", StringComparison.Ordinal));

        Assert.Equal(
            [
                "fit.age_band.points.90-plus: can never be '90-plus': attribute 'age_band' is forwarded as one of 0-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65-74, 75-89, 90+ (derived feature 'age_band')",
                "fit.phone_valid.points.yes: can never be 'yes': attribute 'phone_valid' is forwarded as one of true, false (derived feature 'phone_valid')",
                "directQualification[0].when.properties.urgency: can never be 'asap': in 'Appointment Requested' events it is forwarded as one of routine, soon, emergency (keep, schema enum)",
                "routing.rules[0].when.urgency: can never be 'critical': attribute 'urgency' is forwarded as one of routine, soon, emergency, urgent (keep, schema enum)",
            ],
            result.Errors.Select(e => $"{e.Path}: {e.Message}"));
    }

    [Fact]
    public void Refuses_AnAttributeReadFromAFieldThePolicyDrops()
    {
        // Appointment requests carry properties.email in their schema, but the policy drops it (deriving email_valid).
        var result = Load(Valid.Replace("  service_line: [properties.service_line]", "  service_line: [properties.service_line]\n  email: [properties.email]", StringComparison.Ordinal));

        Assert.Equal(
            "attributes.email[0]: no event type of this vertical forwards 'properties.email' (use properties.* or traits.* its policy keeps, derived.* features it derives, or context.campaign.*)",
            Assert.Single(result.Errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    [Fact]
    public void Refuses_AScoringFile_WhosePolicyDoesNotLoad()
    {
        var directory = Write(Valid);
        File.WriteAllText(Path.Combine(directory, "policy.yaml"), "name: dental\n");

        var error = Assert.Single(new ScoringConfigLoader().Load(directory).Errors);

        Assert.StartsWith("scoring.yaml: the vertical's policy.yaml does not load (", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_InvalidYaml_WithItsLine()
    {
        var result = Load("vertical: dental\nthreshold: [60\n");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("scoring.yaml:3:1: invalid YAML:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_AMissingFile()
    {
        Directory.CreateDirectory(Path.Combine(_root, "dental"));

        var result = new ScoringConfigLoader().Load(Path.Combine(_root, "dental"));

        Assert.Equal($"scoring.yaml: no scoring.yaml in '{Path.Combine(_root, "dental")}'", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void LoadOrThrow_ListsEveryError()
    {
        var directory = Write(Valid.Replace("threshold: 60", "threshold: 10", StringComparison.Ordinal).Replace("sla: 4h", "sla: 4x", StringComparison.Ordinal));

        var ex = Assert.Throws<ScoringConfigException>(() => new ScoringConfigLoader().LoadOrThrow(directory));

        Assert.Single(ex.Errors);
        Assert.Contains("has 1 error(s)", ex.Message, StringComparison.Ordinal);
    }

    private ScoringLoadResult Load(string yaml) => new ScoringConfigLoader().Load(Write(yaml));

    /// <summary>The shipped dental policy (policy.yaml and schemas) with <paramref name="yaml"/> as its scoring file.</summary>
    private string Write(string yaml, string vertical = "dental")
    {
        var directory = Path.Combine(_root, vertical);
        var schemas = Path.Combine(directory, "schemas");
        Directory.CreateDirectory(schemas);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Policy(vertical), "schemas")))
        {
            File.Copy(file, Path.Combine(schemas, Path.GetFileName(file)), overwrite: true);
        }

        File.Copy(Path.Combine(RepoPaths.Policy(vertical), "policy.yaml"), Path.Combine(directory, "policy.yaml"), overwrite: true);
        File.WriteAllText(Path.Combine(directory, ScoringConfig.FileName), yaml);
        return directory;
    }
}
