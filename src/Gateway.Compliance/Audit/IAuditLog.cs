namespace Gateway.Compliance.Audit;

/// <summary>
/// The hash-chained audit log. <see cref="AppendAsync"/> completes only once the records are written and
/// synced to disk; it throws <see cref="AuditUnavailableException"/> when they could not be, and the
/// caller must then not forward (fail closed).
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends record bodies (JSON objects); completes when they are durable.</summary>
    ValueTask AppendAsync(IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken = default);

    /// <summary>Queues a record that nothing waits on (e.g. a delivery result); it joins the next durable group.</summary>
    void Enqueue(byte[] body);

    /// <summary>False while writes are failing (disk full, read-only, removed folder): readiness reports it.</summary>
    bool IsHealthy { get; }

    /// <summary>The durable head of the chain.</summary>
    AuditChainState Head { get; }
}

/// <summary>The audit log could not make records durable. Nothing that depended on them may proceed.</summary>
public sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
