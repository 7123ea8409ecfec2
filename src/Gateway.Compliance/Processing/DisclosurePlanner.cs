using System.Text.Json;
using Gateway.Compliance.Baa;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Destinations;
using Gateway.Compliance.Practices;

namespace Gateway.Compliance.Processing;

/// <summary>
/// Where each of a request's scrubbed events goes, and in what form: the whole disclosure decision, top to bottom, as
/// a function of the events, the policy, and snapshots of the consent ledger and the BAA registry. The host reads the
/// stores and forwards; it decides nothing. Per destination: the scoring service gets the scrubbed event (or its
/// de-identified reduction when no BAA covers its PHI, <see cref="DestinationPlanner"/>); an ad platform gets the
/// conversion <see cref="AdConversionPlanner"/> builds.
/// </summary>
public static class DisclosurePlanner
{
    public static IReadOnlyList<EventDisclosure> Plan(
        PracticeContext practice,
        IReadOnlyList<(EventResult Result, JsonElement Element)> events,
        EventProcessor processor,
        Func<EventResult, ConsentState> consentOf,
        IReadOnlyDictionary<string, BaaRecord> baas,
        DateTimeOffset now)
    {
        // Scrubbed forms are placed in the processor's buffer, which may move while later events are reduced: their
        // bytes are taken once every event is planned.
        var planned = new List<(EventResult Result, List<DestinationDecision> Decisions, Dictionary<string, (int Offset, int Length)> Scrubbed, Dictionary<string, byte[]> Built)>(events.Count);
        foreach (var (result, element) in events)
        {
            var state = consentOf(result);
            var decisions = new List<DestinationDecision>();
            var scrubbed = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
            var built = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var destination in result.EventType!.Destinations)
            {
                if (destination.Ads is not null)
                {
                    var (adDecision, row) = AdConversionPlanner.Plan(destination, result, element, processor.OutputOf(result), state, practice.Platforms.GetValueOrDefault(destination.Name), now);
                    if (adDecision.Outcome == DestinationDecision.Forward)
                    {
                        built[destination.Name] = row!;
                    }

                    decisions.Add(adDecision);
                    continue;
                }

                var plan = DestinationPlanner.Decide(result.EventType, destination, result.Classes, state, baas.GetValueOrDefault(destination.Name), now);
                var decision = plan.Decision;
                if (decision.Outcome == DestinationDecision.Forward)
                {
                    if (plan.ReduceTo is { } allowed)
                    {
                        var (reduced, withheld) = processor.Rescrub(result, element, allowed);
                        scrubbed[destination.Name] = reduced;
                        decision = decision with { Withheld = withheld };
                    }
                    else
                    {
                        scrubbed[destination.Name] = result.Output;
                    }
                }

                decisions.Add(decision);
            }

            planned.Add((result, decisions, scrubbed, built));
        }

        var written = processor.Written;
        return [.. planned.Select(p =>
        {
            var outputs = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
            foreach (var (name, (offset, length)) in p.Scrubbed)
            {
                outputs[name] = written.Slice(offset, length);
            }

            foreach (var (name, row) in p.Built)
            {
                outputs[name] = row;
            }

            return new EventDisclosure(p.Result, p.Decisions, outputs);
        })];
    }
}
