using System.Security.Cryptography;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Sealed audit files (ones the writer has rolled past) are kept Zstandard-compressed (RFC 8878) as <c>*.jsonl.zst</c>:
/// the same lines, byte for byte, so the hash chain, checkpoints and every reader work unchanged (docs/audit-format.md);
/// <c>zstd -dc</c> restores the original file. Audit lines repeat their keys and policy paths, so a segment shrinks
/// more than tenfold, and it decompresses fast enough that verification stays near the speed of plain files. Each
/// frame carries its content size and checksum, so damage is found, not read past. A segment is replaced only after
/// its compressed copy was written, flushed to disk and read back to the same SHA-256; a crash at any step leaves the
/// original in place, and the original wins while both exist.
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
        File.Delete(path);
        return target;
    }

    /// <summary>
    /// Compresses every sealed plain file of <paramref name="instance"/>'s chain: all but its newest file, which the writer
    /// may still append to. Also finishes a compression a crash interrupted (both forms present). Returns the files compressed.
    /// </summary>
    public static IReadOnlyList<string> CompressSealed(string directory, string instance)
    {
        var done = new List<string>();
        if (!AuditFileNames.Find(directory).TryGetValue(instance, out var files))
        {
            return done;
        }

        foreach (var (path, _) in files.Take(files.Count - 1).Where(f => !IsCompressed(f.Path)))
        {
            done.Add(Compress(path));
        }

        return done;
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
        return IsCompressed(path) || path.EndsWith(".zst.tmp", StringComparison.Ordinal) ? new DecompressionStream(file, leaveOpen: false) : file;
    }

    /// <summary>The whole decompressed content of a compressed segment (the verifier checks it in memory).</summary>
    /// <exception cref="InvalidDataException">The segment is damaged: it does not decompress (its checksum or structure is wrong).</exception>
    public static byte[] ReadAll(string path)
    {
        var compressed = File.ReadAllBytes(path);
        try
        {
            using var decompressor = new Decompressor();
            // The frame's content size when it records one (the gateway's always do), else a bound on it.
            var size = Decompressor.GetDecompressedSize(compressed);
            if (size > (ulong)Array.MaxLength)
            {
                throw new InvalidDataException($"'{Path.GetFileName(path)}' records a size no audit segment has.");
            }

            var content = GC.AllocateUninitializedArray<byte>((int)size);
            var written = decompressor.Unwrap(compressed, content);
            return written == content.Length ? content : content[..written];
        }
        catch (ZstdException ex)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is not a readable Zstandard frame ({ex.Code}).", ex);
        }
    }
}
