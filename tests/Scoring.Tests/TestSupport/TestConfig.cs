using Scoring.Engine.Configuration;
using Scoring.Engine.Events;
using Scoring.Engine.Routing;
using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;

namespace Scoring.Tests.TestSupport;

/// <summary>
/// A small scoring configuration with round numbers, so expected scores can be worked out by hand:
/// threshold 60, decay 25% per quarter, service-line multiplier 1.5.
/// Fit: service_line implants 15 / hygiene 4 / other 2; insurance_status in_network 10; in_service_area true 10, false -10 (max 35).
/// Intent: Strong Signal 40; Appointment Requested 20; Pricing Page Viewed 10; Recall Responded 5 (scheduled 30); page 1 (max 3 counted).
/// Direct rule 'implant-appointment': Appointment Requested for implants, fit 20+, 30 days.
/// Routing: implants → treatment (1bd, New York time); everything else → scheduling (4h).
/// </summary>
internal static class TestConfig
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero); // a Monday

    public static ScoringConfig Create() => new()
    {
        Vertical = "test",
        Version = "1",
        Threshold = 60,
        DecayPerQuarter = 0.25,
        Sha256 = "sha-1",
        Attributes =
        [
            new AttributeDefinition { Name = "service_line", Sources = ["properties.service_line", "traits.service_line"] },
            new AttributeDefinition { Name = "location", Sources = ["properties.location_id"] },
            new AttributeDefinition { Name = "insurance_status", Sources = ["properties.insurance_status", "traits.insurance_status"] },
            new AttributeDefinition { Name = "in_service_area", Sources = ["derived.in_service_area"] },
        ],
        Fit =
        [
            new FitRule { Attribute = "service_line", Points = new Dictionary<string, double> { ["implants"] = 15, ["hygiene"] = 4 }, Otherwise = 2 },
            new FitRule { Attribute = "insurance_status", Points = new Dictionary<string, double> { ["in_network"] = 10 } },
            new FitRule { Attribute = "in_service_area", Points = new Dictionary<string, double> { ["true"] = 10, ["false"] = -10 } },
        ],
        Intent = new IntentSettings
        {
            ServiceLineMultiplier = 1.5,
            Events = new Dictionary<string, IntentRule>
            {
                ["Strong Signal"] = new() { Event = "Strong Signal", Points = 40 },
                ["Appointment Requested"] = new() { Event = "Appointment Requested", Points = 20 },
                ["Pricing Page Viewed"] = new() { Event = "Pricing Page Viewed", Points = 10 },
                ["Recall Responded"] = new()
                {
                    Event = "Recall Responded",
                    Points = 5,
                    Variants = [new IntentVariant { When = [OneOf("properties.response", "scheduled")], Points = 30 }],
                },
                ["page"] = new() { Event = "page", Points = 1, MaxCount = 3 },
            },
        },
        DirectRules =
        [
            new DirectRule
            {
                Name = "implant-appointment",
                Event = "Appointment Requested",
                When = [OneOf("properties.service_line", "implants")],
                MinFit = 20,
                Window = TimeSpan.FromDays(30),
            },
        ],
        Stages = new StageSettings
        {
            Conversion = LeadStage.Appointment,
            SqlCriteria = ["appointment_booked", "need", "timeline", "insurance_verified"],
            SqlSufficient = ["appointment_booked"],
            SqlMinimum = 2,
            DisqualifyReasons = ["spam", "out_of_area"],
            RecycleReasons = ["not_ready"],
        },
        Routing = new RoutingSettings
        {
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
            Queues = new Dictionary<string, QueueDefinition>
            {
                ["treatment"] = new() { Name = "treatment", Sla = new Sla(1, SlaUnit.BusinessDays) },
                ["scheduling"] = new() { Name = "scheduling", Sla = new Sla(4, SlaUnit.Hours) },
            },
            Rules =
            [
                new RoutingRule { When = [OneOf("service_line", "implants")], Queue = "treatment", Path = "routing.rules[0]" },
                new RoutingRule { Queue = "scheduling", Path = "routing.rules[1]" },
            ],
        },
    };

    public static ScoringProfile Profile() => new(Create());

    public static Condition OneOf(string field, params string[] values) =>
        new() { Field = field, Kind = ConditionKind.OneOf, Values = [.. values.Select(FieldValues.Normalize)] };

    /// <summary>A track event received when it happened.</summary>
    public static LeadEvent Track(string name, DateTimeOffset at, params (string Path, string Value)[] fields) =>
        new("track", name, at, at, fields.ToDictionary(f => f.Path, f => f.Value));

    public static LeadEvent Other(string type, DateTimeOffset at, params (string Path, string Value)[] fields) =>
        new(type, null, at, at, fields.ToDictionary(f => f.Path, f => f.Value));

    /// <summary>Fit 35: implants (15) + in network (10) + in the service area (10).</summary>
    public static LeadEvent IdealProfile(DateTimeOffset at) => Other(
        "identify", at, ("traits.service_line", "implants"), ("traits.insurance_status", "in_network"), ("derived.in_service_area", "true"));

    public static LeadState NewLead(DateTimeOffset at) => new(LeadStage.Lead, at, null, null, null);
}
