using System.Text.Json;

namespace Gateway.Compliance.Audit;

/// <summary>
/// One audit record as read back: where it is (instance, file, 1-based line), its chain position and time,
/// its kind, and its JSON. <see cref="Raw"/> is the line exactly as stored (without its newline), so an
/// export of it stays verifiable against the chain.
/// </summary>
public sealed class AuditRecord
{
    private JsonElement? _root;
    private AuditEventRecord? _event;
    private AuditDeliveryRecord? _delivery;

    public AuditRecord(string instance, string file, long line, long seq, DateTimeOffset time, string kind, ReadOnlyMemory<byte> raw)
    {
        Instance = instance;
        File = file;
        Line = line;
        Seq = seq;
        Time = time;
        Kind = kind;
        Raw = raw;
    }

    public string Instance { get; }

    /// <summary>The file name (no folder).</summary>
    public string File { get; }

    public long Line { get; }

    public long Seq { get; }

    public DateTimeOffset Time { get; }

    /// <summary><c>event</c>, <c>delivery</c>, <c>auth-failure</c>, <c>admin</c> or <c>system</c>.</summary>
    public string Kind { get; }

    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The parsed record (parsed once, on first use).</summary>
    public JsonElement Root => _root ??= JsonElement.Parse(Raw.Span);

    /// <summary>The event decision, for <c>event</c> records; null otherwise.</summary>
    public AuditEventRecord? Event => Kind == AuditKinds.Event ? _event ??= AuditEventRecord.Read(Root) : null;

    /// <summary>The delivery attempt, for <c>delivery</c> records; null otherwise.</summary>
    public AuditDeliveryRecord? Delivery => Kind == AuditKinds.Delivery ? _delivery ??= AuditDeliveryRecord.Read(Root) : null;

    /// <summary>The practice the record is about (event and delivery records), else null.</summary>
    public string? Practice => Kind is AuditKinds.Event or AuditKinds.Delivery ? Root.GetStringOrNull("practice") : null;
}
