using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Gateway.Compliance.Audit;

/// <summary>
/// The hash-chained audit log on local files, written through Serilog.Sinks.File in audit mode.
/// Records are written by one thread in groups: every record queued while the previous group was being
/// synced joins the next one, which is written as one block and fsynced once (group commit), so
/// durability costs one fsync per group, not per request. A group's waiters are released only after
/// its fsync. On any failure the group's waiters get <see cref="AuditUnavailableException"/>, the file is
/// cut back to its last synced length, and the next group reopens it.
/// </summary>
public sealed class FileAuditLog : IAuditLog, IDisposable
{
    private readonly AuditFileOptions _options;
    private readonly Channel<Pending> _queue;
    private readonly Thread _thread;
    private readonly ArrayBufferWriter<byte> _block = new(64 * 1024);
    private readonly List<Pending> _group = [];
    private SerilogAuditFile? _file;
    private DateOnly _fileDate;
    private long _committedLength;
    private readonly Lock _headLock = new();
    private AuditChainState _head;
    private int _backlog;
    private volatile bool _healthy = true;
    private bool _needsRepair;

    private FileAuditLog(AuditFileOptions options, AuditChainState head, long tornBytes)
    {
        _options = options;
        _head = head;
        _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
        _thread = new Thread(Run) { IsBackground = true, Name = "audit-writer" };
        _thread.Start();
        Enqueue(SystemRecord("audit-opened", tornBytes));
    }

    public bool IsHealthy => _healthy;

    public AuditChainState Head
    {
        get
        {
            lock (_headLock)
            {
                return _head;
            }
        }
    }

    public AuditFileOptions Options => _options;

    /// <summary>Opens the instance's chain in <see cref="AuditFileOptions.Directory"/>, resuming after its last record.</summary>
    public static FileAuditLog Open(AuditFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!AuditFileNames.IsValidInstanceId(options.InstanceId))
        {
            throw new ArgumentException("The audit instance id must be 1-40 characters of [A-Za-z0-9_-].", nameof(options));
        }

        Directory.CreateDirectory(options.Directory);
        var head = AuditChainState.Genesis;
        long torn = 0;
        if (AuditFileNames.Find(options.Directory).TryGetValue(options.InstanceId, out var files))
        {
            for (var i = files.Count - 1; i >= 0; i--)
            {
                // A compressed segment was sealed whole: it has no torn tail to cut.
                torn += AuditSegmentCompression.IsCompressed(files[i].Path) ? 0 : AuditTail.RepairTornTail(files[i].Path);
                if (AuditTail.ReadHead(files[i].Path) is { } state)
                {
                    head = state;
                    break;
                }
            }
        }

        return new FileAuditLog(options, head, torn);
    }

    public ValueTask AppendAsync(IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken = default)
    {
        if (bodies.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (Interlocked.Add(ref _backlog, bodies.Count) > _options.MaxBacklog)
        {
            Interlocked.Add(ref _backlog, -bodies.Count);
            throw new AuditUnavailableException("The audit log's backlog is full.");
        }

        var pending = new Pending(bodies, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _backlog, -bodies.Count);
            throw new AuditUnavailableException("The audit log is closed.");
        }

        return new ValueTask(pending.Completion!.Task.WaitAsync(cancellationToken));
    }

    public void Enqueue(byte[] body)
    {
        Interlocked.Increment(ref _backlog);
        if (!_queue.Writer.TryWrite(new Pending([body], null)))
        {
            Interlocked.Decrement(ref _backlog);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(30));
        _file?.Dispose();
    }

    private void Run()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            _group.Clear();
            var records = 0;
            while (records < _options.MaxGroupRecords && reader.TryRead(out var item))
            {
                _group.Add(item);
                records += item.Bodies.Count;
            }

            Exception? failure = null;
            try
            {
                WriteGroup();
                _healthy = true;
            }
            catch (Exception ex)
            {
                failure = ex as AuditUnavailableException ?? new AuditUnavailableException("The audit log could not write: " + ex.GetType().Name, ex);
                _healthy = false;
                _needsRepair = true;
            }

            Interlocked.Add(ref _backlog, -records);
            foreach (var pending in _group)
            {
                if (failure is null)
                {
                    pending.Completion?.TrySetResult();
                }
                else
                {
                    pending.Completion?.TrySetException(failure);
                }
            }

            if (failure is null)
            {
                _options.OnDurable?.Invoke(_head);
            }
        }
    }

    private void WriteGroup()
    {
        var now = _options.TimeProvider.GetUtcNow();
        if (_needsRepair)
        {
            Repair();
        }

        var head = _head;
        _block.ResetWrittenCount();
        foreach (var pending in _group)
        {
            foreach (var body in pending.Bodies)
            {
                head = AuditRecordEncoder.Append(_block, body, head, now, _options.InstanceId);
            }
        }

        var file = CurrentFile(now, _head.Count + 1);
        file.Write(_block.WrittenMemory);
        if (_options.SyncToDisk)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            file.FlushToDisk();
            _options.OnSynced?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        _committedLength = file.Length;
        lock (_headLock)
        {
            _head = head;
        }
    }

    private SerilogAuditFile CurrentFile(DateTimeOffset now, long nextSeq)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_file is not null && (_file.Length >= _options.MaxFileBytes || (_options.RollDaily && today != _fileDate)))
        {
            if (_options.SyncToDisk)
            {
                _file.FlushToDisk();
            }

            _file.Dispose();
            _file = null;
        }

        if (_file is null)
        {
            var path = LastFileToContinue(nextSeq, today) ?? Path.Combine(_options.Directory, AuditFileNames.For(_options.InstanceId, nextSeq));
            Directory.CreateDirectory(_options.Directory);
            _file = new SerilogAuditFile(path, _options.WrapStream);
            _fileDate = today;
            _committedLength = _file.Length;
        }

        return _file;
    }

    /// <summary>After a restart, keep appending to the instance's last file if it is small enough and from today.</summary>
    private string? LastFileToContinue(long nextSeq, DateOnly today)
    {
        if (nextSeq == 1 || !AuditFileNames.Find(_options.Directory).TryGetValue(_options.InstanceId, out var files))
        {
            return null;
        }

        var last = files[^1].Path;
        if (AuditSegmentCompression.IsCompressed(last))
        {
            return null;
        }

        var info = new FileInfo(last);
        var sameDay = !_options.RollDaily || DateOnly.FromDateTime(info.LastWriteTimeUtc) == today;
        return info.Length < _options.MaxFileBytes && sameDay ? last : null;
    }

    /// <summary>Closes the failed file and cuts it back to what was last synced, so the chain never holds a torn group.</summary>
    private void Repair()
    {
        var path = _file?.Path;
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // The failed write may fail again on close; the file is cut back below.
        }

        _file = null;
        if (path is not null && File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            if (stream.Length > _committedLength)
            {
                stream.SetLength(_committedLength);
                stream.Flush(flushToDisk: true);
            }
        }

        _needsRepair = false;
    }

    private static byte[] SystemRecord(string action, long tornBytes)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(AuditJson.Kind, AuditKinds.System);
            writer.WriteString("action", action);
            writer.WriteNumber("tornBytesRemoved", tornBytes);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record Pending(IReadOnlyList<byte[]> Bodies, TaskCompletionSource? Completion);
}
