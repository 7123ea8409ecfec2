namespace Gateway.Compliance.Audit;

/// <summary>The head of an instance's chain: how many records it holds and the last record's hash.</summary>
public readonly record struct AuditChainState(long Count, string HeadHash)
{
    public static AuditChainState Genesis => new(0, AuditJson.GenesisHash);
}
