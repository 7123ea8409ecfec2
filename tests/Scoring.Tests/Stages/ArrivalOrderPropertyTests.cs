using FsCheck;
using FsCheck.Fluent;
using Scoring.Engine.Events;
using Scoring.Engine.Stages;
using Scoring.Tests.TestSupport;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Stages;

/// <summary>
/// Evaluation in event time: however a lead's events arrive (any order, any batching, late by minutes or months, with
/// reads in between), the history recorded is the history of the same events sent at once. Outbox replays, offline SDK
/// queues and imports all deliver late; the MQL, its hand-off and its lapse must not depend on it.
/// </summary>
public class ArrivalOrderPropertyTests
{
    private static readonly string[] s_events = ["Strong Signal", "Appointment Requested", "Pricing Page Viewed", "Recall Responded", "page", "identify"];

    /// <summary>One lead's events, in the order they arrive, cut into batches received at the given times, with reads between.</summary>
    internal sealed record Arrival(IReadOnlyList<LeadEvent> Events, IReadOnlyList<(IReadOnlyList<LeadEvent> Batch, DateTimeOffset ReceivedAt, IReadOnlyList<DateTimeOffset> ReadsAfter)> Batches)
    {
        public override string ToString() =>
            string.Join(" | ", Batches.Select(b => $"[{string.Join(", ", b.Batch.Select(e => $"{e.Key}@{(e.OccurredAt - T0).TotalDays:0.##}d"))}] recv {(b.ReceivedAt - T0).TotalDays:0.##}d reads {b.ReadsAfter.Count}"));
    }

    [Fact]
    public void HistoryAfterAnyArrivalOrderAndBatching_IsTheHistoryOfTheEventsSentAtOnce()
    {
        var evaluator = new LeadEvaluator(Create());
        var checkedCases = 0;
        var withTransitions = 0;
        var property = Prop.ForAll(Arb.From(Arrivals()), arrival =>
        {
            var end = arrival.Batches[^1].ReceivedAt.AddDays(400);
            var once = evaluator.Evaluate(NewLead(T0), [.. arrival.Events.Select(e => e with { ReceivedAt = arrival.Batches[^1].ReceivedAt })], end);

            var history = new RecordedHistory();
            var state = NewLead(T0);
            var received = new List<LeadEvent>();
            foreach (var (batch, receivedAt, reads) in arrival.Batches)
            {
                received.AddRange(batch.Select(e => e with { ReceivedAt = receivedAt }));
                foreach (var at in reads.Prepend(receivedAt))
                {
                    var step = evaluator.Evaluate(state, history.Transitions, received, at);
                    history.Apply(step);
                    state = step.State;
                }
            }

            var last = evaluator.Evaluate(state, history.Transitions, received, end);
            history.Apply(last);

            var expected = once.Rewrite.Transitions.Select(Describe).ToList();
            var actual = history.System.Select(Describe).ToList();
            if (!expected.SequenceEqual(actual) || once.State.Stage != last.State.Stage || once.State.Handoff != last.State.Handoff)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{arrival}{Environment.NewLine}sent at once: {string.Join("; ", expected)} ({once.State.Stage})"
                    + $"{Environment.NewLine}as arrived:   {string.Join("; ", actual)} ({last.State.Stage})");
            }

            checkedCases++;
            withTransitions += expected.Count > 0 ? 1 : 0;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(250), property);

        // Not vacuous: most generated leads become MQLs (and many lapse) at some point.
        Assert.True(withTransitions >= checkedCases / 2, $"{withTransitions} of {checkedCases} cases had any transition");
    }

    private static string Describe(StageTransition t) =>
        $"{(t.At - T0).TotalMilliseconds:0}ms {t.From}->{t.To}{(t.Handoff is { } h ? $" {h.Queue} due {(h.DueAt - T0).TotalMinutes:0}m" : string.Empty)}";

    private static Gen<Arrival> Arrivals()
    {
        var oneEvent =
            from minute in Gen.Choose(0, 400 * 24 * 60)
            from kind in Gen.Choose(0, s_events.Length - 1)
            from line in Gen.Choose(0, 2)
            from rank in Gen.Choose(0, 1_000_000)
            from cut in Gen.Choose(0, 2)
            from delay in Gen.Frequency((3, Gen.Choose(0, 60)), (2, Gen.Choose(60, 60 * 24 * 200)))
            from reads in Gen.Choose(0, 2)
            select (minute, kind, line, rank, cut, delay, reads);
        return
            from count in Gen.Choose(1, 9)
            from draws in Gen.ListOf(oneEvent, count)
            select Build([.. draws]);
    }

    private static Arrival Build(List<(int Minute, int Kind, int Line, int Rank, int Cut, int Delay, int Reads)> draws)
    {
        // Distinct times (a second apart at least), so "the latest value wins" never depends on arrival order.
        var events = draws.Select((d, i) => (Draw: d, Event: EventOf(d.Kind, d.Line, T0.AddMinutes(d.Minute).AddSeconds(i)))).ToList();
        events.Insert(0, (default, IdealProfile(T0.AddSeconds(-1))));
        var arriving = events.OrderBy(e => e.Draw.Rank).ThenBy(e => e.Event.OccurredAt).ToList();
        var batches = new List<(IReadOnlyList<LeadEvent>, DateTimeOffset, IReadOnlyList<DateTimeOffset>)>();
        var current = new List<LeadEvent>();
        var receivedAt = T0;
        for (var i = 0; i < arriving.Count; i++)
        {
            current.Add(arriving[i].Event);
            if (i == arriving.Count - 1 || arriving[i].Draw.Cut == 0)
            {
                var draw = arriving[i].Draw;
                receivedAt = Max(receivedAt, current.Max(e => e.OccurredAt)).AddMinutes(draw.Delay);
                var reads = Enumerable.Range(1, draw.Reads).Select(r => receivedAt.AddDays(r * 37)).ToList();
                batches.Add((current, receivedAt, reads));
                receivedAt = reads.Count > 0 ? reads[^1] : receivedAt;
                current = [];
            }
        }

        return new Arrival([.. events.Select(e => e.Event)], batches);
    }

    private static LeadEvent EventOf(int kind, int line, DateTimeOffset at)
    {
        var name = s_events[kind];
        var fields = new List<(string, string)>();
        if (line > 0)
        {
            fields.Add((name == "identify" ? "traits.service_line" : "properties.service_line", line == 1 ? "implants" : "hygiene"));
        }

        if (name == "Recall Responded" && line != 1)
        {
            fields.Add(("properties.response", "scheduled"));
        }

        return name is "page" or "identify" ? Other(name, at, [.. fields]) : Track(name, at, [.. fields]);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
