using System.Text;
using Serilog.Sinks.File;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Serilog file hooks that hand the audit log the stream Serilog writes to, so that it can count the
/// bytes that really reached the file (Serilog can skip a write silently) and fsync at group commit.
/// </summary>
internal sealed class AuditFileHooks(Func<Stream, Stream>? wrap = null) : FileLifecycleHooks
{
    public CountingStream? Stream { get; private set; }

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        Stream = new CountingStream(wrap is null ? underlyingStream : wrap(underlyingStream), underlyingStream);
        return Stream;
    }

    /// <summary>A pass-through stream that counts written bytes and can force them to disk.</summary>
    internal sealed class CountingStream(Stream inner, Stream file) : Stream
    {
        public long BytesWritten { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            BytesWritten += count;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            BytesWritten += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        /// <summary>Flushes to the operating system and then to the disk (fsync).</summary>
        public void FlushToDisk()
        {
            inner.Flush();
            if (file is FileStream fileStream)
            {
                fileStream.Flush(flushToDisk: true);
            }
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
}
