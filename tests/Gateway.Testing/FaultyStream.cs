namespace Gateway.Testing;

/// <summary>Wraps a stream and fails writes or flushes on demand, like a full or failing disk (fault injection for audit tests).</summary>
public sealed class FaultyStream(Stream inner, FaultSwitch faults) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (faults.FailWritesAfterBytes is { } limit)
        {
            var allowed = (int)Math.Max(0, Math.Min(buffer.Length, limit));
            inner.Write(buffer[..allowed]);
            faults.FailWritesAfterBytes = limit - allowed;
            if (allowed < buffer.Length)
            {
                inner.Flush();
                throw new IOException("No space left on device");
            }

            return;
        }

        inner.Write(buffer);
    }

    public override void Flush()
    {
        if (faults.FailFlush)
        {
            throw new IOException("Input/output error");
        }

        inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

public sealed class FaultSwitch
{
    /// <summary>When set, writes succeed for this many more bytes and then fail (a disk filling up).</summary>
    public long? FailWritesAfterBytes { get; set; }

    public bool FailFlush { get; set; }
}
