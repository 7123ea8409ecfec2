using System.Text;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace Gateway.Compliance.Audit;

/// <summary>
/// One audit file written through Serilog.Sinks.File in audit mode (<c>AuditTo</c>): a failed write
/// throws instead of being swallowed. Each group commit is one Serilog event whose rendering is the
/// group's lines; the bytes that reach the file are counted, and a short write is a failure. The group is handed
/// over as its UTF-8 bytes and decoded into a pooled buffer as the sink writes it, not as a string per group.
/// </summary>
internal sealed class SerilogAuditFile : IDisposable
{
    private static readonly MessageTemplate s_template = new MessageTemplateParser().Parse("{Block}");

    private readonly Logger _logger;
    private readonly AuditFileHooks _hooks;
    private readonly long _initialLength;

    public SerilogAuditFile(string path, Func<Stream, Stream>? wrapStream = null)
    {
        Path = path;
        _hooks = new AuditFileHooks(wrapStream);
        _initialLength = File.Exists(path) ? new FileInfo(path).Length : 0;
        _logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .AuditTo.File(new BlockFormatter(), path, encoding: new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), hooks: _hooks)
            .CreateLogger();
    }

    public string Path { get; }

    /// <summary>The file's length as far as this writer knows (everything it wrote, synced or not).</summary>
    public long Length => _initialLength + (_hooks.Stream?.BytesWritten ?? 0);

    /// <summary>Appends <paramref name="block"/> (whole lines of UTF-8); throws when the file did not take every byte.</summary>
    public void Write(ReadOnlyMemory<byte> block)
    {
        var before = _hooks.Stream?.BytesWritten ?? 0;
        _logger.Write(new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, s_template,
            [new LogEventProperty("Block", new ScalarValue(new Utf8Block(block)))]));
        var written = (_hooks.Stream?.BytesWritten ?? 0) - before;
        if (written != block.Length)
        {
            throw new AuditUnavailableException($"The audit file accepted {written} of {block.Length} bytes.");
        }

        // On Linux a removed file keeps accepting writes through its open handle, into nothing anyone can read.
        if (!File.Exists(Path))
        {
            throw new AuditUnavailableException("The audit file was removed while open.");
        }
    }

    public void FlushToDisk()
    {
        var stream = _hooks.Stream ?? throw new AuditUnavailableException("The audit file is not open.");
        stream.FlushToDisk();
    }

    public void Dispose() => _logger.Dispose();

    private sealed class BlockFormatter : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output)
        {
            if (logEvent.Properties.TryGetValue("Block", out var value) && value is ScalarValue { Value: Utf8Block block })
            {
                block.WriteTo(output);
            }
        }
    }

    /// <summary>A group's bytes, written to the sink's writer through a pooled character buffer.</summary>
    private sealed class Utf8Block(ReadOnlyMemory<byte> bytes)
    {
        public void WriteTo(TextWriter output)
        {
            var chars = System.Buffers.ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(bytes.Length));
            try
            {
                var count = Encoding.UTF8.GetChars(bytes.Span, chars);
                output.Write(chars.AsSpan(0, count));
            }
            finally
            {
                System.Buffers.ArrayPool<char>.Shared.Return(chars);
            }
        }

        public override string ToString() => $"{bytes.Length} bytes";
    }
}
