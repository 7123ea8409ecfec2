using System.Buffers.Binary;
using System.IO.Hashing;

namespace Gateway.Server.Ingest;

/// <summary>
/// Checks what <see cref="System.IO.Compression.GZipStream"/> lets through: a body must be exactly one gzip member
/// (RFC 1952) whose trailer (CRC-32 and length of the data, mod 2^32) matches what it decompressed to. A stream cut
/// before its trailer, a trailer that does not match, and any bytes after it (a second member or garbage) are refused:
/// Segment SDKs send one member, and bytes the CRC does not cover are bytes nobody vouched for.
/// </summary>
internal static class GzipMember
{
    private const int HeaderBytes = 10;
    private const int TrailerBytes = 8;

    /// <summary>
    /// The most compressed bytes a body within <paramref name="decompressedLimit"/> can take: deflate's stored blocks
    /// add 5 bytes per 64 KB, the gzip header (with a file name or comment) and trailer a few hundred at most.
    /// </summary>
    public static int MaxCompressedLength(int decompressedLimit) =>
        (int)Math.Min(int.MaxValue - 1, decompressedLimit + (decompressedLimit / 65535 + 1) * 5L + 1024);

    /// <summary>True when <paramref name="compressed"/> is one gzip member whose trailer describes <paramref name="decompressed"/>.</summary>
    public static bool IsSingleCompleteMember(ReadOnlySpan<byte> compressed, ReadOnlySpan<byte> decompressed)
    {
        if (compressed.Length < HeaderBytes + TrailerBytes || compressed[0] != 0x1f || compressed[1] != 0x8b)
        {
            return false;
        }

        var trailer = compressed[^TrailerBytes..];
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer) == Crc32.HashToUInt32(decompressed)
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == unchecked((uint)decompressed.Length);
    }
}
