using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Turns a record body (a JSON object without chain members) into one chained JSON line:
/// <c>{"seq":N,"ts":"...","instance":"...",&lt;body members&gt;,"prev":"&lt;hex&gt;","hash":"&lt;hex&gt;"}\n</c>.
/// The hash is SHA-256 over every byte before <c>,"hash":"</c>, so it covers the previous hash too:
/// editing, removing, inserting or reordering any record breaks every hash after it.
/// </summary>
public static class AuditRecordEncoder
{
    /// <summary>Appends the line for <paramref name="body"/> to <paramref name="output"/> and returns the new head.</summary>
    public static AuditChainState Append(IBufferWriter<byte> output, ReadOnlySpan<byte> body, AuditChainState previous, DateTimeOffset time, string instance)
    {
        if (body.Length < 2 || body[0] != (byte)'{' || body[^1] != (byte)'}')
        {
            throw new ArgumentException("An audit record body must be a JSON object.", nameof(body));
        }

        var seq = previous.Count + 1;
        var members = body[1..^1];
        var instanceJson = System.Text.Json.JsonEncodedText.Encode(instance).EncodedUtf8Bytes;
        var maxLength = 96 + instanceJson.Length + members.Length + 64 + 64 + 16;
        var span = output.GetSpan(maxLength);
        var n = 0;
        n += Write(span[n..], "{\"seq\":"u8);
        Utf8Formatter.TryFormat(seq, span[n..], out var w);
        n += w;
        n += Write(span[n..], ",\"ts\":\""u8);
        n += WriteTime(span[n..], time);
        n += Write(span[n..], "\",\"instance\":\""u8);
        n += Write(span[n..], instanceJson);
        n += Write(span[n..], "\""u8);
        if (members.Length > 0)
        {
            span[n++] = (byte)',';
            n += Write(span[n..], members);
        }

        n += Write(span[n..], ",\"prev\":\""u8);
        n += Encoding.ASCII.GetBytes(previous.HeadHash, span[n..]);
        span[n++] = (byte)'"';

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(span[..n], hash);
        n += Write(span[n..], AuditJson.HashMarker);
        if (!Convert.TryToHexStringLower(hash, span[n..], out var hexLength))
        {
            throw new InvalidOperationException("The audit line buffer is too small.");
        }

        var hex = Encoding.ASCII.GetString(span.Slice(n, hexLength));
        n += hexLength;
        n += Write(span[n..], "\"}\n"u8);
        output.Advance(n);
        return new AuditChainState(seq, hex);
    }

    private static int Write(Span<byte> destination, ReadOnlySpan<byte> source)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    private static int WriteTime(Span<byte> destination, DateTimeOffset time)
    {
        if (!time.UtcDateTime.TryFormat(destination, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The audit line buffer is too small.");
        }

        return written;
    }
}
