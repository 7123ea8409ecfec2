using Scoring.Engine.Events;
using Scoring.Engine.Stages;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Stages;

/// <summary>Randomized (seeded, so reproducible) checks of the evaluator's two promises over many event histories.</summary>
public class LeadEvaluatorConsistencyTests
{
    private static readonly string[] s_events = ["Strong Signal", "Appointment Requested", "Pricing Page Viewed", "Recall Responded", "page"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RecordedHistory_IsTheSame_HoweverOftenTheLeadIsRead_AndTheStageMatchesTheScore(int seed)
    {
        var random = new Random(seed);
        var evaluator = new LeadEvaluator(Create());
        for (var scenario = 0; scenario < 50; scenario++)
        {
            var events = History(random);
            var end = events[^1].OccurredAt.AddDays(random.Next(0, 400));

            var once = evaluator.Evaluate(NewLead(T0), events, end);

            var state = NewLead(T0);
            var incremental = new List<StageTransition>();
            var at = T0;
            while (at < end)
            {
                at = Min(end, at.AddHours(random.Next(1, 24 * 60)));
                var step = evaluator.Evaluate(state, events, at);
                incremental.AddRange(step.Transitions);
                state = step.State;
                Assert.Equal(step.Breakdown.Qualifies, step.State.Stage == LeadStage.Mql);
            }

            Assert.Equal(once.Transitions.Select(t => (t.At, t.From, t.To)), incremental.Select(t => (t.At, t.From, t.To)));
            Assert.Equal(once.State.Stage, state.Stage);
        }
    }

    private static List<LeadEvent> History(Random random)
    {
        var events = new List<LeadEvent> { IdealProfile(T0) };
        var at = T0;
        for (var i = random.Next(1, 12); i > 0; i--)
        {
            at = at.AddMinutes(random.Next(0, 60 * 24 * 120));
            var name = s_events[random.Next(s_events.Length)];
            var fields = new List<(string, string)>();
            if (random.Next(2) == 0)
            {
                fields.Add(("properties.service_line", random.Next(2) == 0 ? "implants" : "hygiene"));
            }

            if (name == "Recall Responded" && random.Next(2) == 0)
            {
                fields.Add(("properties.response", "scheduled"));
            }

            events.Add(name == "page" ? Other("page", at, [.. fields]) : Track(name, at, [.. fields]));
        }

        return events;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
