using System.Buffers;

namespace Gateway.Compliance.Processing;

/// <summary>
/// A growable byte buffer for one request's scrubbed events, written back to back. Unlike
/// <see cref="ArrayBufferWriter{T}"/> it can be cut back to an earlier length, so an event that fails half
/// written leaves nothing behind for the events after it.
/// </summary>
internal sealed class OutputBuffer(int initialCapacity) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[initialCapacity];

    public int WrittenCount { get; private set; }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, WrittenCount);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, WrittenCount);

    public void Clear() => WrittenCount = 0;

    /// <summary>Discards everything written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, WrittenCount);
        WrittenCount = length;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - WrittenCount);
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - WrittenCount >= needed)
        {
            return;
        }

        var size = Math.Max(_buffer.Length * 2L, (long)WrittenCount + needed);
        Array.Resize(ref _buffer, (int)Math.Min(size, Array.MaxLength));
    }
}
