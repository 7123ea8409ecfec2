using Microsoft.Win32.SafeHandles;

namespace Gateway.Compliance.Audit;

/// <summary>
/// The bytes of one audit file as the chain verifier reads them, by offset from several workers at once: a plain file
/// in place, or a compressed segment decompressed into memory first (a segment is at most
/// <c>Gateway:Audit:MaxFileMegabytes</c> of lines).
/// </summary>
internal abstract class AuditFileBytes : IDisposable
{
    public abstract long Length { get; }

    public abstract int Read(Span<byte> buffer, long offset);

    public static AuditFileBytes Open(string path) => AuditSegmentCompression.IsCompressed(path)
        ? new InMemory(AuditSegmentCompression.ReadAll(path))
        : new InPlace(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan));

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
}
