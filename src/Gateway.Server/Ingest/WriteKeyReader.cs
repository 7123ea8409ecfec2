using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Gateway.Server.Ingest;

/// <summary>Finds the write key the way Segment's API accepts it: HTTP Basic user name, else a <c>writeKey</c> body field.</summary>
internal static class WriteKeyReader
{
    /// <summary>The write key from <c>Authorization: Basic base64(writeKey:)</c>, or null.</summary>
    public static string? FromHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var encoded = header.AsSpan(6).Trim();
        if (encoded.Length > 1024)
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        Span<byte> utf8 = stackalloc byte[encoded.Length];
        var n = Encoding.ASCII.GetBytes(encoded, utf8);
        if (Base64.DecodeFromUtf8(utf8[..n], decoded, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(decoded[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? text[..colon] : text;
    }

    /// <summary>The write key from a top-level <c>writeKey</c> string field of the body, or null (also when it is not valid text).</summary>
    public static string? FromBody(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("writeKey"u8, out var key) && key.ValueKind == JsonValueKind.String
            && Gateway.Compliance.Events.JsonText.IsValidUnicode(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(key))
            ? key.GetString()
            : null;
}
