using System.Text;

namespace Gateway.Compliance.Audit;

/// <summary>Reads the head of an instance's chain from its last file, and removes a torn (never acknowledged) last line.</summary>
internal static class AuditTail
{
    /// <summary>
    /// Cuts <paramref name="path"/> back to its last complete line. A partial line can only be the tail of
    /// a group that was never synced, so never acknowledged: removing it loses nothing anyone relied on.
    /// Returns how many bytes were removed.
    /// </summary>
    public static long RepairTornTail(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var length = stream.Length;
        if (length == 0)
        {
            return 0;
        }

        var keep = LastNewlineEnd(stream, length);
        if (keep == length)
        {
            return 0;
        }

        stream.SetLength(keep);
        stream.Flush(flushToDisk: true);
        return length - keep;
    }

    /// <summary>The chain state after the last line of <paramref name="path"/>; null when the file holds no line.</summary>
    public static AuditChainState? ReadHead(string path)
    {
        if (AuditSegmentCompression.IsCompressed(path))
        {
            return ReadHeadOfCompressed(path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = stream.Length;
        if (length == 0)
        {
            return null;
        }

        var end = LastNewlineEnd(stream, length);
        if (end == 0)
        {
            return null;
        }

        var start = LastNewlineEnd(stream, end - 1);
        var line = new byte[end - start - 1];
        stream.Position = start;
        stream.ReadExactly(line);
        if (!AuditLine.TryParseChain(line, out var seq, out _, out var hash))
        {
            throw new InvalidDataException($"The last audit record in '{Path.GetFileName(path)}' is not a chained record; run 'gatewayctl audit verify'.");
        }

        return new AuditChainState(seq, hash);
    }

    /// <summary>The offset just past the last '\n' at or before <paramref name="limit"/> - 1, or 0.</summary>
    private static long LastNewlineEnd(FileStream stream, long limit)
    {
        var buffer = new byte[8192];
        var position = limit;
        while (position > 0)
        {
            var count = (int)Math.Min(buffer.Length, position);
            position -= count;
            stream.Position = position;
            stream.ReadExactly(buffer, 0, count);
            var index = Array.LastIndexOf(buffer, (byte)'\n', count - 1, count);
            if (index >= 0)
            {
                return position + index + 1;
            }
        }

        return 0;
    }

    /// <summary>A compressed segment's last line, read through the whole segment (only when every later file is empty).</summary>
    private static AuditChainState? ReadHeadOfCompressed(string path)
    {
        using var reader = new StreamReader(AuditSegmentCompression.OpenRead(path), new System.Text.UTF8Encoding(false));
        string? last = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                last = line;
            }
        }

        if (last is null)
        {
            return null;
        }

        if (!AuditLine.TryParseChain(System.Text.Encoding.UTF8.GetBytes(last), out var seq, out _, out var hash))
        {
            throw new InvalidDataException($"The last audit record in '{Path.GetFileName(path)}' is not a chained record; run 'gatewayctl audit verify'.");
        }

        return new AuditChainState(seq, hash);
    }
}

/// <summary>Reads the chain members of one audit line without a full JSON parse.</summary>
public static class AuditLine
{
    private static ReadOnlySpan<byte> SeqPrefix => "{\"seq\":"u8;

    private static ReadOnlySpan<byte> PrevMarker => ",\"prev\":\""u8;

    /// <summary>Extracts seq, prev and hash. False when the line does not have the chained shape.</summary>
    public static bool TryParseChain(ReadOnlySpan<byte> line, out long seq, out string prev, out string hash)
    {
        seq = 0;
        prev = hash = string.Empty;
        if (!TryGetParts(line, out seq, out var prevBytes, out var hashBytes, out _))
        {
            return false;
        }

        prev = Encoding.ASCII.GetString(prevBytes);
        hash = Encoding.ASCII.GetString(hashBytes);
        return true;
    }

    /// <summary>
    /// Splits a line into its parts: <paramref name="hashed"/> is everything the hash covers.
    /// The line must end with <c>,"prev":"&lt;64 hex&gt;","hash":"&lt;64 hex&gt;"}</c>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool TryGetParts(ReadOnlySpan<byte> line, out long seq, out ReadOnlySpan<byte> prev, out ReadOnlySpan<byte> hash, out ReadOnlySpan<byte> hashed)
    {
        seq = 0;
        prev = hash = hashed = default;
        const int tail = 9 + 64 + 2; // ,"hash":" + 64 + "}
        if (line.Length < SeqPrefix.Length + tail + 9 + 64 + 1 || !line.StartsWith(SeqPrefix) || line[^1] != (byte)'}')
        {
            return false;
        }

        var markerAt = line.Length - tail;
        if (!line[markerAt..].StartsWith(AuditJson.HashMarker))
        {
            return false;
        }

        hashed = line[..markerAt];
        hash = line.Slice(markerAt + AuditJson.HashMarker.Length, 64);
        if (line[^2] != (byte)'"')
        {
            return false;
        }

        var prevAt = markerAt - 1 - 64 - PrevMarker.Length;
        if (prevAt < 0 || !line[prevAt..].StartsWith(PrevMarker) || line[markerAt - 1] != (byte)'"')
        {
            return false;
        }

        prev = line.Slice(prevAt + PrevMarker.Length, 64);
        var digits = line[SeqPrefix.Length..];
        var comma = digits.IndexOf((byte)',');
        return comma > 0 && System.Buffers.Text.Utf8Parser.TryParse(digits[..comma], out seq, out var consumed) && consumed == comma && seq > 0;
    }
}
