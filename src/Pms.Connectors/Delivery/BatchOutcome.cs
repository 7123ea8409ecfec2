namespace Pms.Connectors.Delivery;

/// <summary>What the gateway did with a batch: indexes of events it refused as permanently invalid (400), with reasons.</summary>
public sealed record BatchOutcome(IReadOnlyList<(int Index, string Reason)> Refused)
{
    public static BatchOutcome AllAccepted { get; } = new([]);
}
