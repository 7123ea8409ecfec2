using Scoring.Engine.Configuration;
using Scoring.Engine.Routing;
using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Practices;

/// <summary>The shipped 12-location sample DSO (policies/dental/practices/harborview-dental.yaml) applied to leads.</summary>
public class ScoringProfileTests
{
    private static readonly Lazy<ScoringConfig> s_dental = new(() => new ScoringConfigLoader().LoadOrThrow(RepoPaths.Policy("dental")));

    private static ScoringProfile Dso => new(s_dental.Value, s_dental.Value.Practices["harborview-dental"]);

    private static Func<string, string?> Lead(params (string Attribute, string Value)[] attributes) =>
        name => attributes.FirstOrDefault(a => a.Attribute == name).Value;

    [Theory]
    [InlineData("seattle", null, null, "seattle")]
    [InlineData("Seattle ", null, null, "seattle")]
    [InlineData(null, "606", null, "chicago-loop")]
    [InlineData(null, "999", null, null)]
    [InlineData(null, null, null, null)]
    [InlineData("worcester", "016", "implants", "back-bay")]
    [InlineData("providence", "029", "implants", "back-bay")]
    [InlineData("austin", "787", "implants", "chicago-loop")]
    [InlineData("austin", "787", "clear_aligners", "austin")]
    [InlineData("portland", "972", "implants", "seattle")]
    public void ALead_GoesToItsLocation_OrTheServiceArea_OrOneOfferingItsServiceLine(string? location, string? zip3, string? serviceLine, string? expected)
    {
        var lead = Lead(("location", location!), ("zip3", zip3!), ("service_line", serviceLine!));

        Assert.Equal(expected, Dso.LocationOf(lead)?.Id);
    }

    [Fact]
    public void Thresholds_TheLocations_ThenTheServiceLines_ThenTheVerticals()
    {
        Assert.Equal(60, Dso.ThresholdFor(Lead(("location", "back-bay"), ("service_line", "hygiene"))));
        Assert.Equal(65, Dso.ThresholdFor(Lead(("location", "back-bay"), ("service_line", "implants"))));
        Assert.Equal(62, Dso.ThresholdFor(Lead(("location", "austin"), ("service_line", "clear_aligners"))));
        Assert.Equal(55, Dso.ThresholdFor(Lead(("location", "phoenix"), ("service_line", "general"))));
        Assert.Equal(60, new ScoringProfile(s_dental.Value).ThresholdFor(Lead(("location", "phoenix"), ("service_line", "implants"))));
    }

    [Fact]
    public void Handoffs_GoToTheLocationsQueue_WithItsSla_InItsOfficeHoursAndTimeZone()
    {
        var config = s_dental.Value;
        var scheduling = config.Routing.Queues["scheduling"];
        var treatment = config.Routing.Queues["treatment-coordinator"];
        var emergency = config.Routing.Queues["emergency-line"];

        // Monday 2026-11-23 21:30 UTC = 16:30 Boston, 15:30 Chicago, 13:30 Seattle.
        var at = new DateTimeOffset(2026, 11, 23, 21, 30, 0, TimeSpan.Zero);
        var backBay = Dso.Practice!.FindLocation("back-bay");
        var chicago = Dso.Practice!.FindLocation("chicago-loop");
        var seattle = Dso.Practice!.FindLocation("seattle");

        // Practice-wide scheduling 2h. Back Bay closes at 18:00: 1.5 h Monday, 0.5 h from Tuesday 07:30 → 08:00 Boston (13:00 UTC).
        Assert.Equal(new Sla(2, SlaUnit.Hours), Dso.SlaFor(scheduling, backBay, Lead()));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero), Dso.SlaFor(scheduling, backBay, Lead()).DueAt(at, Dso.CalendarFor(scheduling, backBay)));

        // Chicago's own 1h: 16:30 Chicago (22:30 UTC).
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 22, 30, 0, TimeSpan.Zero), Dso.SlaFor(scheduling, chicago, Lead()).DueAt(at, Dso.CalendarFor(scheduling, chicago)));

        // Seattle (09-18 Los Angeles), implants: the service line's 2h → 15:30 Seattle (23:30 UTC).
        var implants = Lead(("service_line", "implants"));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero), Dso.SlaFor(treatment, seattle, implants).DueAt(at, Dso.CalendarFor(treatment, seattle)));

        // Wednesday 16:30 Boston before Thanksgiving: 1.5 h Wednesday, then Thursday is a holiday, Friday 07:30 + 0.5 h.
        var beforeThanksgiving = new DateTimeOffset(2026, 11, 25, 21, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.Zero), Dso.SlaFor(scheduling, backBay, Lead()).DueAt(beforeThanksgiving, Dso.CalendarFor(scheduling, backBay)));

        // The emergency line answers round the clock: Saturday 03:00 UTC + 1h.
        var saturdayNight = new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal(saturdayNight.AddHours(1), Dso.SlaFor(emergency, backBay, Lead()).DueAt(saturdayNight, Dso.CalendarFor(emergency, backBay)));
    }

    [Fact]
    public void AnMql_IsHandedToItsLocationsQueue()
    {
        var evaluator = new LeadEvaluator(Dso);
        var at = new DateTimeOffset(2026, 11, 23, 21, 30, 0, TimeSpan.Zero);
        var events = new[]
        {
            Other("identify", at, ("traits.insurance_status", "in_network"), ("traits.patient_status", "new"), ("derived.email_valid", "true"), ("derived.in_service_area", "true")),
            Track("Appointment Requested", at, ("properties.service_line", "general"), ("properties.zip", "981")),
        };

        var result = evaluator.Evaluate(NewLead(at), events, at.AddMinutes(1));

        // fit 8 + 8 + 10 + 5 (general) = 31; 45 x 1.25 = 56.25: 87.25 exceeds 60. ZIP3 981 is Seattle's area.
        Assert.Equal(LeadStage.Mql, result.State.Stage);
        Assert.Equal(("seattle/scheduling", "seattle", "2h"), (result.State.Handoff!.Queue, result.State.Handoff.Location, result.State.Handoff.Sla));
        Assert.Equal(at.AddHours(2), result.State.Handoff.DueAt);
    }
}
