using Scoring.Engine.Events;
using Scoring.Engine.Stages;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Stages;

public class LeadEvaluatorTests
{
    // fit 35 + Strong Signal 40 = 75 at T0. Shown to two decimals, it exceeds 60 while it is at least 60.005, so it stops
    // qualifying when 40 x 0.75^q < 25.005: q > ln(25.005/40) / ln(0.75) = 1.6330654 quarters = 12,883,906.455 s, so the
    // first millisecond not qualifying is T0 + 12,883,906.456 s (149 days 2:51:46.456).
    private static readonly DateTimeOffset s_strongDrop = T0 + TimeSpan.FromMilliseconds(12_883_906_456);

    private readonly LeadEvaluator _evaluator = new(Create());

    [Fact]
    public void NewLead_BecomesMql_AtTheEventThatQualifiesIt_AndIsRouted()
    {
        var events = new[] { IdealProfile(T0), Track("Strong Signal", T0.AddHours(2)) };

        var result = _evaluator.Evaluate(NewLead(T0), events, T0.AddHours(3));

        var mql = Assert.Single(result.Transitions);
        Assert.Equal((T0.AddHours(2), LeadStage.Lead, LeadStage.Mql, "system"), (mql.At, mql.From, mql.To, mql.Actor));
        Assert.Equal("score 75 exceeds the threshold 60", mql.Reason);
        Assert.Equal(LeadStage.Mql, result.State.Stage);

        // implants → treatment, 1 business day: Monday 06:00 New York is before opening (09:00), so it counts from
        // 09:00: Tuesday 09:00 New York (14:00 UTC).
        var handoff = result.State.Handoff!;
        Assert.Equal(("treatment", T0.AddHours(2), T0.AddDays(1).AddHours(5), "implants"), (handoff.Queue, handoff.AssignedAt, handoff.DueAt, handoff.ServiceLine));
        Assert.Equal(s_strongDrop.AddHours(2), result.NextCheckAt);
    }

    [Fact]
    public void Mql_IsRecycled_AtTheExactMillisecondItStopsQualifying_WhateverWhenItIsRead()
    {
        var events = new[] { IdealProfile(T0), Track("Strong Signal", T0) };
        var first = _evaluator.Evaluate(NewLead(T0), events, T0);

        var justBefore = _evaluator.Evaluate(first.State, events, s_strongDrop.AddMilliseconds(-1));
        var late = _evaluator.Evaluate(first.State, events, s_strongDrop.AddDays(300));

        Assert.Empty(justBefore.Transitions);
        Assert.Equal(LeadStage.Mql, justBefore.State.Stage);
        var recycled = Assert.Single(late.Transitions);
        Assert.Equal((s_strongDrop, LeadStage.Mql, LeadStage.Recycled), (recycled.At, recycled.From, recycled.To));
        Assert.StartsWith("score 60 no longer exceeds the threshold 60 with no engagement since 2026-01-05", recycled.Reason, StringComparison.Ordinal);
        Assert.Null(late.State.Handoff);
        Assert.Null(late.NextCheckAt);
    }

    [Fact]
    public void History_DoesNotDependOnHowOftenTheLeadIsRead()
    {
        var events = new[]
        {
            IdealProfile(T0),
            Track("Strong Signal", T0),
            Track("Strong Signal", T0.AddDays(200)),
            Track("page", T0.AddDays(500)),
        };
        var end = T0.AddDays(800);

        var once = _evaluator.Evaluate(NewLead(T0), events, end);
        var state = NewLead(T0);
        var often = new List<StageTransition>();
        for (var at = T0; at <= end; at = at.AddDays(7))
        {
            var step = _evaluator.Evaluate(state, events.Where(e => e.ReceivedAt <= at).ToList(), at);
            often.AddRange(step.Transitions);
            state = step.State;
        }

        often.AddRange(_evaluator.Evaluate(state, events, end).Transitions);

        // MQL at T0, recycled ~149 days later, MQL again at day 200, recycled again; the page at day 500 is not enough.
        Assert.Equal(4, once.Transitions.Count);
        Assert.Equal(once.Transitions.Select(t => (t.At, t.To)), often.Select(t => (t.At, t.To)));
        Assert.Equal(s_strongDrop, once.Transitions[1].At);
        Assert.Equal(T0.AddDays(200), once.Transitions[2].At);
    }

    [Fact]
    public void DirectQualification_QualifiesBelowTheThreshold_ForTheRulesWindow()
    {
        var events = new[] { IdealProfile(T0), Track("Appointment Requested", T0, ("properties.service_line", "implants")) };

        var result = _evaluator.Evaluate(NewLead(T0), events, T0.AddDays(60));

        // fit 35 + 20 x 1.5 = 65 at T0 would also pass the threshold, so use a lead without insurance: see the next test.
        Assert.Equal(LeadStage.Mql, result.Transitions[0].To);

        var lowFit = new[]
        {
            Other("identify", T0, ("traits.service_line", "implants"), ("traits.insurance_status", "in_network")),
            Track("Appointment Requested", T0, ("properties.service_line", "implants")),
        };

        // fit 15 + 10 = 25 (>= the rule's 20) + intent 20 x 1.5 = 30: score 55 < 60, but the direct rule holds 30 days.
        var direct = _evaluator.Evaluate(NewLead(T0), lowFit, T0.AddDays(60));

        Assert.Equal(2, direct.Transitions.Count);
        Assert.Equal((T0, LeadStage.Mql), (direct.Transitions[0].At, direct.Transitions[0].To));
        Assert.Equal("direct qualification by rule 'implant-appointment' (score 55, threshold 60)", direct.Transitions[0].Reason);
        Assert.Equal((T0.AddDays(30).AddMilliseconds(1), LeadStage.Recycled), (direct.Transitions[1].At, direct.Transitions[1].To));
        Assert.EndsWith("direct rule 'implant-appointment' expired", direct.Transitions[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Recycled_ReturnsToMql_OnNewQualifyingEngagement()
    {
        var events = new List<LeadEvent> { IdealProfile(T0), Track("Strong Signal", T0) };
        var recycled = _evaluator.Evaluate(NewLead(T0), events, T0.AddDays(200)).State;
        Assert.Equal(LeadStage.Recycled, recycled.Stage);

        // At day 250: intent 40 x 0.75^(250/91.3125) = 18.20; + pricing 10 = 28.20; + fit 35 = 63.20 >= 60.
        var at = T0.AddDays(250);
        events.Add(Track("Pricing Page Viewed", at));
        var back = _evaluator.Evaluate(recycled, events, at.AddMinutes(1));

        var mql = Assert.Single(back.Transitions);
        Assert.Equal((at, LeadStage.Recycled, LeadStage.Mql), (mql.At, mql.From, mql.To));
    }

    [Fact]
    public void Lead_BelowThreshold_StaysLead_AndNeedsNoCheck()
    {
        var result = _evaluator.Evaluate(NewLead(T0), [IdealProfile(T0), Track("Pricing Page Viewed", T0)], T0.AddDays(1));

        Assert.Empty(result.Transitions);
        Assert.Equal(LeadStage.Lead, result.State.Stage);
        Assert.Null(result.NextCheckAt);
        Assert.Equal(T0.AddDays(1), result.State.EvaluatedThrough);
    }

    [Fact]
    public void LateEvent_DatedBeforeTheLastEvaluation_IsEvaluatedAtItsOwnTime()
    {
        // Evaluated on day 10 with the profile only; a Strong Signal dated day 5 arrives on day 12 (an outbox replay).
        // Sent at once, the lead would have been an MQL from day 5: so it is, not from day 10 or 12.
        var first = _evaluator.Evaluate(NewLead(T0), [IdealProfile(T0)], T0.AddDays(10));
        var late = new LeadEvent("track", "Strong Signal", T0.AddDays(5), T0.AddDays(12), new Dictionary<string, string>());

        var result = _evaluator.Evaluate(first.State, [IdealProfile(T0), late], T0.AddDays(12));

        var mql = Assert.Single(result.Transitions);
        Assert.Equal(T0.AddDays(5), mql.At);
        Assert.Equal(T0.AddDays(5), result.State.Handoff!.AssignedAt);
    }

    [Fact]
    public void LateEvent_RecordsAnMqlThatQualifiedAndLapsedInTheGap()
    {
        // Read on day 300 with the profile only. Then a Strong Signal dated day 100 arrives: the lead was an MQL from
        // day 100 until its score fell below 60.005 about 149 days later, both before day 300. Both are recorded.
        var first = _evaluator.Evaluate(NewLead(T0), [IdealProfile(T0)], T0.AddDays(300));
        var late = new LeadEvent("track", "Strong Signal", T0.AddDays(100), T0.AddDays(301), new Dictionary<string, string>());

        var result = _evaluator.Evaluate(first.State, [IdealProfile(T0), late], T0.AddDays(301));

        Assert.Equal(
            [(T0.AddDays(100), LeadStage.Mql), (s_strongDrop.AddDays(100), LeadStage.Recycled)],
            result.Transitions.Select(t => (t.At, t.To)));
        Assert.Equal(LeadStage.Recycled, result.State.Stage);
    }

    [Fact]
    public void RecycledByAPerson_DoesNotRequalify_OnAOnePointPageView()
    {
        // The case: MQL at T0 (score 75), a person recycles it as no_response an hour later, and a page view
        // 12 ms after that would return it to MQL on the old score. Only new intent counts: fit 35 + 1 does not exceed 60.
        var events = new List<LeadEvent> { IdealProfile(T0), Track("Strong Signal", T0) };
        var mql = _evaluator.Evaluate(NewLead(T0), events, T0.AddHours(1));
        var recycle = StageCommands.Recycle(Profile(), mql.State, "not_ready", "fd-7", T0.AddHours(1));
        var recorded = new List<StageTransition> { mql.Transitions[0], recycle.Transition! };
        events.Add(Other("page", T0.AddHours(1).AddMilliseconds(12)));

        var afterPage = _evaluator.Evaluate(recycle.State!, recorded, events, T0.AddHours(2));

        Assert.Empty(afterPage.Transitions);
        Assert.Equal(LeadStage.Recycled, afterPage.State.Stage);

        // New strong intent does: fit 35 + 40 = 75 from events after the recycle alone.
        events.Add(Track("Strong Signal", T0.AddHours(3)));
        var back = _evaluator.Evaluate(afterPage.State, recorded, events, T0.AddHours(4));

        var requalified = Assert.Single(back.Transitions);
        Assert.Equal((T0.AddHours(3), LeadStage.Recycled, LeadStage.Mql), (requalified.At, requalified.From, requalified.To));
        Assert.Equal("re-qualified after a person recycled it: fit 35 + new intent 41 = 76 exceeds 60", requalified.Reason);
    }

    [Fact]
    public void AnUnreachableLead_IsNotAnMql_UntilAValidContactArrives()
    {
        var evaluator = new LeadEvaluator(Create() with
        {
            Attributes = [.. Create().Attributes, new Engine.Configuration.AttributeDefinition { Name = "email_valid", Sources = ["derived.email_valid"] }],
            Stages = Create().Stages with { Contactable = [[OneOf("email_valid", "true")]] },
        });
        var events = new List<LeadEvent> { IdealProfile(T0), Track("Strong Signal", T0) };

        var unreachable = evaluator.Evaluate(NewLead(T0), events, T0.AddHours(1));
        events.Add(Other("identify", T0.AddHours(2), ("derived.email_valid", "true")));
        var reachable = evaluator.Evaluate(unreachable.State, events, T0.AddHours(3));

        Assert.Equal(LeadStage.Lead, unreachable.State.Stage);
        Assert.True(unreachable.Breakdown.QualifiesByScore);
        Assert.Equal("Lead: score 74.99 (fit 35 + intent 39.99) would qualify, but nobody can reach the lead (needs email_valid = true).",
            StageExplanation.Why(unreachable.State.Stage, unreachable.Breakdown, null));
        Assert.Equal((T0.AddHours(2), LeadStage.Mql), (Assert.Single(reachable.Transitions).At, reachable.State.Stage));
    }

    [Fact]
    public void PeoplesStages_AreNeverChangedByTheScore()
    {
        var events = new[] { IdealProfile(T0), Track("Strong Signal", T0) };
        foreach (var stage in new[] { LeadStage.Sql, LeadStage.Appointment, LeadStage.Disqualified })
        {
            var result = _evaluator.Evaluate(new LeadState(stage, T0, null, T0, "sha-1"), events, T0.AddDays(900));

            Assert.Empty(result.Transitions);
            Assert.Equal(stage, result.State.Stage);
            Assert.Null(result.NextCheckAt);
        }
    }

    [Fact]
    public void ConfigurationChange_ReevaluatesAtTheCurrentTime()
    {
        var stale = new LeadState(LeadStage.Lead, T0, null, T0.AddDays(1), "an-older-sha");
        var events = new[] { IdealProfile(T0), Track("Pricing Page Viewed", T0) };
        var generous = new LeadEvaluator(Create() with { Threshold = 40 });

        var result = generous.Evaluate(stale, events, T0.AddDays(2));

        var mql = Assert.Single(result.Transitions);
        Assert.Equal(T0.AddDays(2), mql.At);
    }

    [Fact]
    public void Breakdown_AfterEvaluation_AgreesWithTheStage()
    {
        var events = new[] { IdealProfile(T0), Track("Strong Signal", T0) };
        foreach (var days in new[] { 0, 30, 100, 149, 150, 400 })
        {
            var result = _evaluator.Evaluate(NewLead(T0), events, T0.AddDays(days));

            Assert.Equal(result.Breakdown.Qualifies, result.State.Stage == LeadStage.Mql);
        }
    }

    [Fact]
    public void FirstInstantNotQualifying_IsNeverWhenFitAloneQualifies()
    {
        var evaluator = new LeadEvaluator(Create() with { Threshold = 30 });
        var events = new[] { IdealProfile(T0) };
        var b = evaluator.Scorer.Score(events, T0);

        Assert.Equal(DateTimeOffset.MaxValue, evaluator.FirstInstantNotQualifying(events, b));
    }
}
