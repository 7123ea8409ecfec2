namespace Gateway.Compliance.Audit;

/// <summary>
/// A signed statement that an instance's chain held <see cref="Count"/> records ending in
/// <see cref="HeadHash"/> at <see cref="Time"/>. Stored apart from the audit files, so that cutting
/// records off the end of the chain (which a hash chain alone cannot show) is detected.
/// </summary>
public sealed record AuditCheckpoint(string Instance, long Count, string HeadHash, DateTimeOffset Time, string KeyId, string Signature);
