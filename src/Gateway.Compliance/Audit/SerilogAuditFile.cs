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
/// group's lines; the bytes that reach the file are counted, and a short write is a failure.
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

    public void Write(string block, int expectedBytes)
    {
        var before = _hooks.Stream?.BytesWritten ?? 0;
        _logger.Write(new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, s_template,
            [new LogEventProperty("Block", new ScalarValue(block))]));
        var written = (_hooks.Stream?.BytesWritten ?? 0) - before;
        if (written != expectedBytes)
        {
            throw new AuditUnavailableException($"The audit file accepted {written} of {expectedBytes} bytes.");
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
            if (logEvent.Properties.TryGetValue("Block", out var value) && value is ScalarValue { Value: string block })
            {
                output.Write(block);
            }
        }
    }
}
