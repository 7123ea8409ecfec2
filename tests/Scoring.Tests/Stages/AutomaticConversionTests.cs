using Scoring.Engine.Configuration;
using Scoring.Engine.Events;
using Scoring.Engine.Stages;
using Scoring.Tests.TestSupport;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Stages;

/// <summary>The shipped dental rule 'recall-booked-in-pms': a recall response then an appointment booked in the PMS converts the lead.</summary>
public class AutomaticConversionTests
{
    private static readonly Lazy<ScoringConfig> s_dental = new(() =>
    {
        var result = new ScoringConfigLoader().Load(RepoPaths.Policy("dental"));
        return result.Config ?? throw new InvalidOperationException(string.Join(Environment.NewLine, result.Errors));
    });

    private readonly LeadEvaluator _evaluator = new(s_dental.Value);

    private static LeadEvent RecallDue(DateTimeOffset at) => Track("Recall Due", at,
        ("properties.source_system", "open_dental"), ("properties.recall_type", "prophy"), ("properties.months_overdue", "12-24"),
        ("derived.email_valid", "true"), ("derived.in_service_area", "true"));

    private static LeadEvent Booked(DateTimeOffset at, string system = "open_dental") => Track("Appointment Booked", at,
        ("properties.source_system", system), ("properties.service_line", "hygiene"), ("properties.recall_type", "prophy"));

    [Fact]
    public void RecallScheduled_ThenAppointmentBooked_ConvertsTheLead_AttributedToThePms()
    {
        var events = new[] { RecallDue(T0), Track("Recall Scheduled", T0.AddDays(2), ("properties.source_system", "dentrix")), Booked(T0.AddDays(3), "dentrix") };

        var result = _evaluator.Evaluate(NewLead(T0), events, T0.AddDays(4));

        Assert.Equal([LeadStage.Mql, LeadStage.Appointment], result.Transitions.Select(t => t.To));
        var converted = result.Transitions[^1];
        Assert.Equal((T0.AddDays(3), LeadStage.Mql, "pms:dentrix"), (converted.At, converted.From, converted.Actor));
        Assert.Equal("Appointment Booked after Recall Scheduled of 2026-01-07 converts the lead (rule 'recall-booked-in-pms')", converted.Reason);
        Assert.Equal(LeadStage.Appointment, result.State.Stage);
        Assert.Null(result.NextCheckAt);
    }

    [Fact]
    public void AppointmentBooked_WithoutARecallResponse_DoesNotConvert()
    {
        var events = new[] { RecallDue(T0), Booked(T0.AddDays(3)) };

        var result = _evaluator.Evaluate(NewLead(T0), events, T0.AddDays(4));

        Assert.DoesNotContain(result.Transitions, t => t.To == LeadStage.Appointment);
        Assert.NotEqual(LeadStage.Appointment, result.State.Stage);
    }

    [Fact]
    public void RecallResponse_OlderThanTheWindow_DoesNotConvert()
    {
        var events = new[] { RecallDue(T0), Track("Recall Responded", T0, ("properties.response", "scheduled")), Booked(T0.AddDays(91)) };

        var result = _evaluator.Evaluate(NewLead(T0), events, T0.AddDays(92));

        Assert.DoesNotContain(result.Transitions, t => t.To == LeadStage.Appointment);
    }

    [Fact]
    public void Conversion_IsRecordedOnce_ThroughReReadsAndALateEventDatedBeforeIt()
    {
        var history = new RecordedHistory();
        var state = NewLead(T0);
        var events = new List<LeadEvent> { RecallDue(T0), Track("Recall Responded", T0.AddDays(1), ("properties.response", "scheduled")), Booked(T0.AddDays(2)) };

        var first = _evaluator.Evaluate(state, history.Transitions, events, T0.AddDays(3));
        history.Apply(first);
        var reread = _evaluator.Evaluate(first.State, history.Transitions, events, T0.AddDays(5));
        history.Apply(reread);
        // A re-exported page view dated before the booking rewinds the system's history past the conversion.
        events.Add(new LeadEvent("page", null, T0.AddHours(30), T0.AddDays(6), new Dictionary<string, string>()));
        var rewound = _evaluator.Evaluate(reread.State, history.Transitions, events, T0.AddDays(6));
        history.Apply(rewound);

        Assert.Single(history.Transitions, t => t.To == LeadStage.Appointment);
        Assert.Empty(reread.Transitions);
        Assert.DoesNotContain(rewound.Transitions, t => t.To == LeadStage.Appointment);
        Assert.Equal(LeadStage.Appointment, rewound.State.Stage);
        Assert.Equal("pms:open_dental", history.Transitions.Single(t => t.To == LeadStage.Appointment).Actor);
    }

    [Fact]
    public void PersonsSql_IsConvertedByTheBooking_ButADisqualifiedLeadIsNot()
    {
        var events = new[] { RecallDue(T0), Track("Recall Responded", T0.AddDays(1), ("properties.response", "scheduled")), Booked(T0.AddDays(2)) };
        foreach (var (decision, converts) in new[] { (LeadStage.Sql, true), (LeadStage.Disqualified, false) })
        {
            var history = new RecordedHistory();
            var first = _evaluator.Evaluate(NewLead(T0), history.Transitions, events.Take(2).ToList(), T0.AddDays(1).AddHours(1));
            history.Apply(first);
            history.Add(new StageTransition(T0.AddDays(1).AddHours(1), first.State.Stage, decision, "need_confirmed", "frontdesk", []));
            var state = first.State with { Stage = decision, StageSince = T0.AddDays(1).AddHours(1) };

            var result = _evaluator.Evaluate(state, history.Transitions, events, T0.AddDays(3));

            Assert.Equal(converts ? LeadStage.Appointment : decision, result.State.Stage);
        }
    }
}
