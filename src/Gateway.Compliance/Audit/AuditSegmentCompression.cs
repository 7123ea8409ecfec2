using System.Security.Cryptography;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Sealed audit files (ones the writer has rolled past) are kept Zstandard-compressed (RFC 8878) as <c>*.jsonl.zst</c>:
/// the same lines, byte for byte, so the hash chain, checkpoints and every reader work unchanged (docs/audit-format.md);
/// <c>zstd -dc</c> restores the original file. Audit lines repeat their keys and policy paths, so a segment shrinks
/// more than tenfold, and it decompresses fast enough that verification stays near the speed of plain files. The frame
/// carries its content size and checksum; readers and the verifier read every frame in the file to its end, so a cut,
/// a damaged checksum or data appended after the frame is reported, never read past. A segment is replaced only after
/// its compressed copy was written, flushed to disk, read back to the same SHA-256 and renamed, with the folder flushed
/// before the original is removed; a crash at any step leaves a complete form in place, and the original wins while
/// both exist.
/// </summary>
public static class AuditSegmentCompression
{
    /// <summary>Zstandard level 3: about 60 bytes per audit record, compressed at some 400 MB/s.</summary>
    public const int Level = 3;

    /// <summary>Compresses the sealed file at <paramref name="path"/> (a plain <c>.jsonl</c>) and removes it; returns the compressed path.</summary>
    /// <exception cref="InvalidDataException">The compressed copy did not read back to the original's bytes (it is removed).</exception>
    public static string Compress(string path)
    {
        if (IsCompressed(path))
        {
            throw new ArgumentException("The audit file is already compressed.", nameof(path));
        }

        var target = path + ".zst";
        var temporary = target + ".tmp";
        byte[] original;
        using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var zstd = new CompressionStream(output, Level, leaveOpen: true))
                {
                    zstd.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
                    zstd.SetPledgedSrcSize((ulong)source.Length);
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = source.Read(buffer)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        zstd.Write(buffer, 0, read);
                    }
                }

                output.Flush(flushToDisk: true);
            }

            original = hash.GetHashAndReset();
        }

        bool same;
        try
        {
            using var readBack = OpenRead(temporary);
            same = SHA256.HashData(readBack).AsSpan().SequenceEqual(original);
        }
        catch (Exception ex) when (ex is ZstdException or IOException)
        {
            same = false;
        }

        if (!same)
        {
            File.Delete(temporary);
            throw new InvalidDataException($"The compressed copy of '{Path.GetFileName(path)}' does not read back to the same bytes; the original is kept.");
        }

        File.Move(temporary, target, overwrite: true);

        // The rename must be on disk before the original goes: otherwise a power loss could keep the removal and lose it.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        DirectoryDurability.Flush(folder);
        File.Delete(path);
        DirectoryDurability.Flush(folder);
        return target;
    }

    /// <summary>
    /// Compresses every sealed plain file of <paramref name="instance"/>'s chain: all but its newest file, which the writer
    /// may still append to. Also finishes a compression a crash interrupted (both forms present). Returns the files compressed.
    /// </summary>
    public static IReadOnlyList<string> CompressSealed(string directory, string instance)
    {
        var done = new List<string>();
        RecoverOrphanedCopies(directory, instance);
        if (!AuditFileNames.Find(directory).TryGetValue(instance, out var files))
        {
            return done;
        }

        List<Exception>? failures = null;
        foreach (var (path, _) in files.Take(files.Count - 1).Where(f => !IsCompressed(f.Path)))
        {
            try
            {
                done.Add(Compress(path));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ZstdException or UnauthorizedAccessException)
            {
                // One file that cannot be compressed now does not hold up the others; it stays plain and is tried again.
                (failures ??= []).Add(ex);
            }
        }

        return failures is null ? done : throw new AggregateException($"{failures.Count} sealed audit file(s) could not be compressed; they stay plain.", failures);
    }

    /// <summary>
    /// A compressed copy left as <c>*.zst.tmp</c> with neither the original nor the <c>.zst</c> beside it (a power loss
    /// kept the original's removal but not the rename): put back under its name when it decompresses whole.
    /// </summary>
    private static void RecoverOrphanedCopies(string directory, string instance)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var temporary in Directory.EnumerateFiles(directory, $"audit-{instance}-*{AuditFileNames.CompressedExtension}.tmp"))
        {
            var target = temporary[..^".tmp".Length];
            var original = target[..^".zst".Length];
            if (File.Exists(target) || File.Exists(original))
            {
                continue;
            }

            try
            {
                using (var stream = OpenRead(temporary))
                {
                    stream.CopyTo(Stream.Null);
                }

                File.Move(temporary, target);
                DirectoryDurability.Flush(directory);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                // Damaged: left where it is for an operator; verify reports the gap in the chain.
            }
        }
    }

    /// <summary>True for a compressed segment (<c>.jsonl.zst</c>).</summary>
    public static bool IsCompressed(string path) => path.EndsWith(AuditFileNames.CompressedExtension, StringComparison.Ordinal);

    /// <summary>Opens an audit file for reading, decompressing a compressed segment. A plain file compressed since it was
    /// listed is found under its new name.</summary>
    public static Stream OpenRead(string path, int bufferSize = 1 << 16)
    {
        if (!IsCompressed(path) && !File.Exists(path) && File.Exists(path + ".zst"))
        {
            path += ".zst";
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, Math.Max(bufferSize, 1 << 16), FileOptions.SequentialScan);
        if (!IsCompressed(path) && !path.EndsWith(".zst.tmp", StringComparison.Ordinal))
        {
            return file;
        }

        try
        {
            Span<byte> header = stackalloc byte[18];
            var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            file.Position = 0;
            long? recorded = AuditFileBytes.TryReadContentSize(header[..read], out var size) ? size : null;
            return new CheckedDecompression(new DecompressionStream(file, leaveOpen: false), Path.GetFileName(path), recorded);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The whole decompressed content of a compressed segment, every frame in it (the verifier checks a segment
    /// whose frame records no size in memory).</summary>
    /// <exception cref="InvalidDataException">The segment is damaged: it does not decompress (its checksum or structure is wrong).</exception>
    public static byte[] ReadAll(string path)
    {
        using var stream = OpenRead(path);
        using var memory = new MemoryStream();
        stream.CopyTo(memory, 1 << 20);
        return memory.ToArray();
    }

    /// <summary>Decompression that reports a damaged frame as <see cref="InvalidDataException"/> naming the file, as
    /// readers expect of a file they cannot read, instead of the codec's own exception.</summary>
    private sealed class CheckedDecompression(DecompressionStream inner, string file, long? recorded) : Stream
    {
        private long _produced;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (Exception ex) when (ex is ZstdException or EndOfStreamException)
            {
                throw new InvalidDataException($"The compressed audit file '{file}' is damaged: it does not decompress to its end.", ex);
            }

            // More than the frame records means a second frame was added: lines no verification of this file covered.
            _produced += read;
            return recorded is { } size && _produced > size
                ? throw new InvalidDataException($"The compressed audit file '{file}' holds more than its frame records.")
                : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
