using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Compliance.Audit;

/// <summary>
/// The bytes of one audit file as the chain verifier reads them, by offset, from several workers at once: a plain file
/// in place; a compressed segment decompressed as the verifier moves through it, holding only its current window (the
/// verifier never reads behind a window it has moved past, and says so with <see cref="Advance"/>). A segment whose frame
/// does not record its size (recompressed by hand) is decompressed into memory whole.
/// </summary>
internal abstract class AuditFileBytes : IDisposable
{
    public abstract long Length { get; }

    public abstract int Read(Span<byte> buffer, long offset);

    /// <summary>Nothing before <paramref name="lowWater"/> will be read again.</summary>
    public virtual void Advance(long lowWater)
    {
    }

    /// <summary>
    /// After the last window: null when the file holds exactly <see cref="Length"/> bytes, else what is wrong. A compressed
    /// segment is read to its end, so a cut, a damaged checksum or data after the frame (which readers would see) is found.
    /// </summary>
    public virtual string? Finish() => null;

    public static AuditFileBytes Open(string path)
    {
        // Compressed since it was listed: the same lines under the new name.
        if (!File.Exists(path) && !AuditSegmentCompression.IsCompressed(path) && File.Exists(path + ".zst"))
        {
            path += ".zst";
        }

        if (!AuditSegmentCompression.IsCompressed(path))
        {
            return new InPlace(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan));
        }

        Span<byte> header = stackalloc byte[18];
        int headerLength;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            headerLength = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        return TryReadContentSize(header[..headerLength], out var size)
            ? new Streamed(AuditSegmentCompression.OpenRead(path, bufferSize: 1 << 20), size)
            : new InMemory(AuditSegmentCompression.ReadAll(path));
    }

    /// <summary>The content size a Zstandard frame header records (RFC 8878, 3.1.1.1), if it records one.</summary>
    internal static bool TryReadContentSize(ReadOnlySpan<byte> header, out long size)
    {
        size = 0;
        if (header.Length < 6 || BinaryPrimitives.ReadUInt32LittleEndian(header) != 0xFD2FB528)
        {
            return false;
        }

        var descriptor = header[4];
        var singleSegment = (descriptor & 0x20) != 0;
        var fieldSize = (descriptor >> 6) switch
        {
            0 => singleSegment ? 1 : 0,
            1 => 2,
            2 => 4,
            _ => 8,
        };
        var at = 5 + (singleSegment ? 0 : 1) + (descriptor & 0x03) switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
        if (fieldSize == 0 || header.Length < at + fieldSize)
        {
            return false;
        }

        var field = header.Slice(at, fieldSize);
        var value = fieldSize switch
        {
            1 => field[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(field) + 256UL,
            4 => BinaryPrimitives.ReadUInt32LittleEndian(field),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(field),
        };
        if (value > long.MaxValue)
        {
            return false;
        }

        size = (long)value;
        return true;
    }

    public abstract void Dispose();

    private sealed class InPlace(SafeFileHandle handle) : AuditFileBytes
    {
        public override long Length { get; } = RandomAccess.GetLength(handle);

        public override int Read(Span<byte> buffer, long offset) => RandomAccess.Read(handle, buffer, offset);

        public override void Dispose() => handle.Dispose();
    }

    private sealed class InMemory(byte[] content) : AuditFileBytes
    {
        public override long Length => content.Length;

        public override int Read(Span<byte> buffer, long offset)
        {
            var count = (int)Math.Min(buffer.Length, Math.Max(0, content.Length - offset));
            content.AsSpan((int)offset, count).CopyTo(buffer);
            return count;
        }

        public override void Dispose()
        {
        }
    }

    /// <summary>A compressed segment decompressed forward into a buffer that keeps only what may still be read.</summary>
    private sealed class Streamed(Stream decompressed, long length) : AuditFileBytes
    {
        private readonly Lock _gate = new();
        private byte[] _buffer = new byte[4 << 20];
        private long _start;
        private int _count;
        private long _lowWater;

        public override long Length => length;

        public override void Advance(long lowWater)
        {
            lock (_gate)
            {
                _lowWater = Math.Max(_lowWater, lowWater);
            }
        }

        public override int Read(Span<byte> destination, long offset)
        {
            lock (_gate)
            {
                if (offset < _start)
                {
                    throw new IOException("The verifier read a compressed segment behind its window.");
                }

                var wanted = Math.Min(offset + destination.Length, length);
                while (_start + _count < wanted)
                {
                    if (_count == _buffer.Length)
                    {
                        var drop = (int)Math.Clamp(Math.Min(_lowWater, offset) - _start, 0, _count);
                        if (drop > 0)
                        {
                            Buffer.BlockCopy(_buffer, drop, _buffer, 0, _count - drop);
                            _count -= drop;
                            _start += drop;
                        }
                        else
                        {
                            Array.Resize(ref _buffer, _buffer.Length * 2);
                        }
                    }

                    int read;
                    try
                    {
                        read = decompressed.Read(_buffer, _count, _buffer.Length - _count);
                    }
                    catch (InvalidDataException ex)
                    {
                        // A damaged frame (bad checksum or structure) is a problem verify reports, as an unreadable file is.
                        throw new IOException("The compressed segment is damaged.", ex);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    _count += read;
                }

                var available = (int)Math.Clamp(_start + _count - offset, 0, destination.Length);
                _buffer.AsSpan((int)(offset - _start), available).CopyTo(destination);
                return available;
            }
        }

        public override string? Finish()
        {
            lock (_gate)
            {
                try
                {
                    // Everything its frame records was read; the rest of the file must hold nothing more.
                    var more = new byte[1 << 16];
                    long extra = Math.Max(0, _start + _count - length);
                    int read;
                    while ((read = decompressed.Read(more)) > 0)
                    {
                        extra += read;
                    }

                    return extra == 0 ? null : $"the compressed segment holds {extra} bytes after its frame's recorded content (records no chain covers)";
                }
                catch (InvalidDataException)
                {
                    return "the compressed segment is damaged after its records (checksum, truncation or data after the frame)";
                }
            }
        }

        public override void Dispose() => decompressed.Dispose();
    }
}
