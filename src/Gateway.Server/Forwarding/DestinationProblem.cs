using System.Text.Json;

namespace Gateway.Server.Forwarding;

/// <summary>
/// Why a destination refused a batch, in its own words: the RFC 9457 problem <c>title</c> and <c>type</c> of its
/// answer, cut to <see cref="MaxLength"/> characters. Never its <c>detail</c> or <c>errors</c>, which can quote the
/// events. Goes to the log and the delivery's audit and dead-letter records.
/// </summary>
internal sealed record DestinationProblem(string? Title, string? Type)
{
    public const int MaxLength = 200;

    /// <summary>A short text for the dead-letter and audit records: <c>title (type)</c>.</summary>
    public override string ToString() => Type is null ? Title ?? string.Empty : $"{Title} ({Type})";

    public static DestinationProblem? Read(ReadOnlySpan<byte> body, string? contentType)
    {
        if (body.IsEmpty || contentType is null || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? title = null, type = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && name is "title" or "type")
                {
                    var value = Cut(reader.GetString());
                    (title, type) = name == "title" ? (value, type) : (title, value);
                }
                else
                {
                    reader.Skip();
                }
            }

            return title is null && type is null ? null : new DestinationProblem(title, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Cut(string? value) => value is { Length: > MaxLength } ? value[..MaxLength] : value;
}

/// <summary>The destination's answer body, kept up to 4 KB (enough for problem details); the rest is discarded.</summary>
internal sealed class DestinationAnswer : Stream
{
    private const int Capacity = 4096;
    private readonly byte[] _buffer = new byte[Capacity];
    private int _length;

    public ReadOnlySpan<byte> Captured => _buffer.AsSpan(0, _length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var take = Math.Min(buffer.Length, Capacity - _length);
        buffer[..take].CopyTo(_buffer.AsSpan(_length));
        _length += take;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
