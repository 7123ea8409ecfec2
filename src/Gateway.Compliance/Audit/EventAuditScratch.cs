using System.Buffers;
using System.Text.Json;

namespace Gateway.Compliance.Audit;

/// <summary>
/// The buffers <c>EventAuditFormatter.FormatFields</c> reuses from one event to the next (held by the
/// event's <see cref="Processing.FieldTrace"/>, so never shared between threads). Holds paths and action
/// names only, never values.
/// </summary>
internal sealed class EventAuditScratch
{
    private Utf8JsonWriter? _writer;

    public ArrayBufferWriter<byte> Buffer { get; } = new(512);

    public AuditFieldGroups Fields { get; } = new();

    public AuditFieldGroups Derived { get; } = new();

    public AuditFieldGroups Detected { get; } = new();

    public List<string> Unmapped { get; } = [];

    /// <summary>Clears everything and returns a writer over the emptied buffer.</summary>
    public Utf8JsonWriter Begin()
    {
        Buffer.ResetWrittenCount();
        Fields.Clear();
        Derived.Clear();
        Detected.Clear();
        Unmapped.Clear();
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(Buffer, AuditJson.WriterOptions);
        }
        else
        {
            _writer.Reset(Buffer);
        }

        return _writer;
    }
}
