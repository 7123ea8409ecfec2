namespace Gateway.Compliance.Audit;

/// <summary>Settings of the file audit log. Defaults suit an audit log, not Serilog's (no 31-file retention, no 1 GB cap).</summary>
public sealed record AuditFileOptions
{
    /// <summary>Default size at which a new file is started (the chain continues across files).</summary>
    public const long DefaultMaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Default number of records queued for writing before appends are refused (503).</summary>
    public const int DefaultMaxBacklog = 200_000;

    /// <summary>The folder holding this instance's audit files. Created if missing.</summary>
    public required string Directory { get; init; }

    /// <summary>This gateway instance's id: in file names and every record.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Start a new file once the current one reaches this size. Files are never deleted by the gateway.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>Start a new file when the UTC date changes.</summary>
    public bool RollDaily { get; init; } = true;

    /// <summary>fsync each group of records before acknowledging it. Turning this off is for benchmarks only.</summary>
    public bool SyncToDisk { get; init; } = true;

    /// <summary>At most this many records per group commit.</summary>
    public int MaxGroupRecords { get; init; } = 4096;

    public int MaxBacklog { get; init; } = DefaultMaxBacklog;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Test hook: wraps the stream Serilog writes to (fault injection: full disk, I/O errors).</summary>
    internal Func<Stream, Stream>? WrapStream { get; init; }

    /// <summary>Called after each group's fsync with how long it took (the host's audit fsync latency metric).</summary>
    public Action<TimeSpan>? OnSynced { get; init; }

    /// <summary>Called after every durable group with the new head (used to sign checkpoints).</summary>
    public Action<AuditChainState>? OnDurable { get; init; }
}
