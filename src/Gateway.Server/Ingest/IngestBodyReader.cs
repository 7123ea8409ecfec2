using System.Buffers;
using System.IO.Compression;
using Gateway.Server.Forwarding;

namespace Gateway.Server.Ingest;

/// <summary>
/// Reads a request body into a pooled buffer with a hard cap, decompressing gzip (the cap applies to the
/// decompressed size, so a small compressed bomb cannot expand past it).
/// </summary>
internal static class IngestBodyReader
{
    public sealed class Body : IDisposable
    {
        private byte[]? _buffer;

        public Body(byte[] buffer, int length)
        {
            _buffer = buffer;
            Length = length;
        }

        public int Length { get; }

        public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

        public void Dispose()
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }
        }
    }

    /// <summary>Reads the body, or returns the failure to answer with.</summary>
    public static async Task<(Body? Body, IngestFailure? Failure)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (!IsJsonLike(request.ContentType))
        {
            return (null, IngestFailure.UnsupportedMediaType());
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, IngestFailure.UnsupportedMediaType());
        }

        if (!gzip)
        {
            if (request.ContentLength > limit)
            {
                return (null, IngestFailure.TooLarge(limit, "request body"));
            }

            return await ReadCappedAsync(request.Body, limit, request.ContentLength, "request body", cancellationToken);
        }

        // The compressed bytes are kept so the gzip trailer can be checked against what they decompress to.
        var compressedLimit = GzipMember.MaxCompressedLength(limit);
        if (request.ContentLength > compressedLimit)
        {
            return (null, IngestFailure.TooLarge(limit, "request body"));
        }

        var (compressed, failure) = await ReadCappedAsync(request.Body, compressedLimit, request.ContentLength, "request body", cancellationToken);
        if (failure is not null)
        {
            return (null, failure.Status == StatusCodes.Status413PayloadTooLarge ? IngestFailure.TooLarge(limit, "request body") : failure);
        }

        using (compressed)
        {
            await using var source = new GZipStream(new ReadOnlyMemoryStream(compressed!.Memory), CompressionMode.Decompress);
            var (body, inflateFailure) = await ReadCappedAsync(source, limit, compressed.Length * 4L, "decompressed request body", cancellationToken);
            if (inflateFailure is not null)
            {
                return (null, inflateFailure);
            }

            if (!GzipMember.IsSingleCompleteMember(compressed.Memory.Span, body!.Memory.Span))
            {
                body.Dispose();
                return (null, IngestFailure.Malformed("The gzip stream is corrupt: its trailer (CRC-32 and length) is missing or does not match, or bytes follow it."));
            }

            return (body, null);
        }
    }

    private static async Task<(Body? Body, IngestFailure? Failure)> ReadCappedAsync(Stream source, int limit, long? expected, string what, CancellationToken cancellationToken)
    {
        var initial = (int)Math.Min(Math.Max(expected ?? 4096, 256), limit + 1L);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, IngestFailure.TooLarge(limit, what));
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, IngestFailure.TooLarge(limit, what));
                }
            }

            return (new Body(buffer, length), null);
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, IngestFailure.Malformed("The gzip stream is corrupt."));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (Gateway:Connections): the body backstop, or a client slower than the minimum data rate.
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? IngestFailure.TooLarge(limit, "request body")
                : new IngestFailure(ex.StatusCode, "bad-request", "The request body could not be read",
                    "The body was incomplete or arrived slower than the gateway's minimum data rate; nothing was accepted."));
        }
        catch (Exception ex) when (ex is IOException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The client went away mid-body: nothing was read, audited or forwarded, and nobody is left to answer.
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, new IngestFailure(StatusCodes.Status400BadRequest, "bad-request", "The request body could not be read",
                "The connection closed before the body was complete; nothing was accepted."));
        }
    }

    /// <summary>Segment SDKs send application/json; analytics.js beacons send text/plain. Both carry JSON.</summary>
    private static bool IsJsonLike(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }
}
