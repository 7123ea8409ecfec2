using Gateway.Compliance.Processing;

namespace Gateway.Server.Disclosure;

/// <summary>For one forwardable event: the decision per destination, and where its bytes for each destination are.</summary>
internal sealed record EventDisclosure(EventResult Result, IReadOnlyList<DestinationDecision> Decisions, IReadOnlyDictionary<string, (int Offset, int Length)> Outputs)
{
    /// <summary>The event's overall outcome: forward when at least one destination takes it.</summary>
    public string Outcome => Decisions.Any(d => d.Outcome == DestinationDecision.Forward) ? "forward" : "dropped";

    public string? Reason => Outcome == "forward" ? null : Decisions.Select(d => d.Reason).FirstOrDefault(r => r is not null);
}
