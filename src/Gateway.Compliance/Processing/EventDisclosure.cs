namespace Gateway.Compliance.Processing;

/// <summary>For one forwardable event: the decision per destination, and the bytes each destination that takes it gets.</summary>
public sealed record EventDisclosure(EventResult Result, IReadOnlyList<DestinationDecision> Decisions, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Outputs)
{
    /// <summary>The event's overall outcome: forward when at least one destination takes it.</summary>
    public string Outcome => Decisions.Any(d => d.Outcome == DestinationDecision.Forward) ? "forward" : "dropped";

    public string? Reason => Outcome == "forward" ? null : Decisions.Select(d => d.Reason).FirstOrDefault(r => r is not null) ?? (Decisions.Count > 0 ? Decisions[0].Outcome : null);
}
