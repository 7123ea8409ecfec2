using System.IO.Compression;
using System.Security.Cryptography;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Sealed audit files (ones the writer has rolled past) are kept gzip-compressed as <c>*.jsonl.gz</c>: the same lines,
/// byte for byte, so the hash chain, checkpoints and every reader work unchanged (docs/audit-format.md). Audit lines
/// repeat their keys and policy paths, so a segment shrinks about tenfold. A segment is replaced only after its
/// compressed copy was written, flushed to disk and read back to the same SHA-256; a crash at any step leaves the
/// original in place, and the original wins while both exist.
/// </summary>
public static class AuditSegmentCompression
{
    /// <summary>Compresses the sealed file at <paramref name="path"/> (a plain <c>.jsonl</c>) and removes it; returns the compressed path.</summary>
    /// <exception cref="InvalidDataException">The compressed copy did not read back to the original's bytes (it is removed).</exception>
    public static string Compress(string path)
    {
        if (IsCompressed(path))
        {
            throw new ArgumentException("The audit file is already compressed.", nameof(path));
        }

        var target = path + ".gz";
        var temporary = target + ".tmp";
        byte[] original;
        using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = source.Read(buffer)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        gzip.Write(buffer, 0, read);
                    }
                }

                output.Flush(flushToDisk: true);
            }

            original = hash.GetHashAndReset();
        }

        if (!HashOf(temporary).AsSpan().SequenceEqual(original))
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

    /// <summary>True for a compressed segment (<c>.jsonl.gz</c>).</summary>
    public static bool IsCompressed(string path) => path.EndsWith(AuditFileNames.CompressedExtension, StringComparison.Ordinal);

    /// <summary>Opens an audit file for reading, decompressing a compressed segment. A plain file compressed since it was
    /// listed is found under its new name.</summary>
    public static Stream OpenRead(string path, int bufferSize = 1 << 16)
    {
        if (!IsCompressed(path) && !File.Exists(path) && File.Exists(path + ".gz"))
        {
            path += ".gz";
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize, FileOptions.SequentialScan);
        return IsCompressed(path) ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
    }

    /// <summary>The whole decompressed content of a compressed segment (the verifier checks it in memory).</summary>
    public static byte[] ReadAll(string path)
    {
        using var stream = OpenRead(path);
        using var memory = new MemoryStream();
        stream.CopyTo(memory, 1 << 16);
        return memory.ToArray();
    }

    private static byte[] HashOf(string compressed)
    {
        using var stream = new GZipStream(new FileStream(compressed, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), CompressionMode.Decompress);
        return SHA256.HashData(stream);
    }
}
