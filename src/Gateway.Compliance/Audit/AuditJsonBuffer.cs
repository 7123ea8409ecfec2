using System.Buffers;
using System.Text.Json;

namespace Gateway.Compliance.Audit;

/// <summary>
/// A growable byte buffer with one JSON writer over it, both reused from one audit record to the next: saves a
/// buffer and a writer per record. Not thread-safe: one per owner (a trace, or a thread).
/// </summary>
internal sealed class AuditJsonBuffer(int initialCapacity)
{
    private Utf8JsonWriter? _writer;

    public ArrayBufferWriter<byte> Buffer { get; } = new(initialCapacity);

    /// <summary>Empties the buffer (the previous record's bytes are cleared) and returns the writer, reset onto it.</summary>
    public Utf8JsonWriter Begin()
    {
        Buffer.Clear();
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
