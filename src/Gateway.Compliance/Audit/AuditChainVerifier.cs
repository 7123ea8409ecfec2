using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Verifies hash chains: each record's hash covers its bytes and its predecessor's hash, sequence
/// numbers run without gaps within and across files, and the first record starts from genesis. Reports,
/// per instance, the first broken record (file, line, what is wrong). Truncation of the tail is caught
/// by checking the chain against signed checkpoints stored elsewhere.
/// </summary>
/// <remarks>
/// A record's hash depends only on its own bytes (which include <c>prev</c>), so files are read in
/// windows whose byte ranges are read, split into lines and hashed on every core at once; linking
/// (seq, prev, checkpoints) is a cheap sequential pass that runs while the next window loads, and
/// reports problems in chain order exactly as a one-record-at-a-time verifier would. The hot loops are
/// compiled fully optimized on first use: a verification is one long call, so tiered compilation would
/// run most of a gigabyte through unoptimized code.
/// </remarks>
public sealed class AuditChainVerifier
{
    /// <summary>Bytes each worker reads per window.</summary>
    private const int RangeBytes = 1 << 20;

    /// <summary>Below this, a file (or window) is not worth splitting between workers.</summary>
    private const int MinRangeBytes = 256 << 10;

    private const int MaxRecordBytes = 1 << 20;

    /// <summary>Called as verification proceeds (about every 64k records, and once at the end of each instance).</summary>
    public Action<AuditVerificationProgress>? Progress { get; init; }

    /// <summary>Checkpoints to check the chains against (signature already verified by the caller).</summary>
    public IReadOnlyList<AuditCheckpoint> Checkpoints { get; init; } = [];

    /// <summary>Only these instances (and their checkpoints); null for every instance found.</summary>
    public IReadOnlySet<string>? Instances { get; init; }

    /// <summary>How many workers read and hash a file at once (default: one per core).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public AuditVerificationResult Verify(params string[] directories)
    {
        var instances = new List<InstanceVerification>();
        var problems = new List<AuditProblem>();
        var byInstance = new SortedDictionary<string, List<(string Path, long FirstSeq)>>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                problems.Add(new AuditProblem("*", directory, 0, null, "the audit folder does not exist"));
                continue;
            }

            foreach (var (instance, files) in AuditFileNames.Find(directory))
            {
                if (Instances is not null && !Instances.Contains(instance))
                {
                    continue;
                }

                if (!byInstance.TryGetValue(instance, out var list))
                {
                    byInstance[instance] = list = [];
                }

                list.AddRange(files);
            }
        }

        foreach (var checkpointInstance in Checkpoints.Select(c => c.Instance).Where(i => Instances is null || Instances.Contains(i)).Distinct().Order(StringComparer.Ordinal))
        {
            if (!byInstance.ContainsKey(checkpointInstance))
            {
                problems.Add(new AuditProblem(checkpointInstance, "*", 0, null,
                    "signed checkpoints exist for this instance but none of its audit files were found: the files were removed"));
            }
        }

        var progress = new ProgressState(Progress, byInstance.Values.SelectMany(f => f).Sum(f => SafeLength(f.Path)));
        var workers = Math.Max(1, Parallelism);
        using var loading = new Window(workers);
        using var linking = new Window(workers);
        foreach (var (instance, files) in byInstance)
        {
            var chain = new Chain(instance, [.. Checkpoints.Where(c => c.Instance == instance).OrderBy(c => c.Count)]);
            var result = VerifyInstance(chain, [.. files.OrderBy(f => f.FirstSeq)], loading, linking, progress);
            instances.Add(result);
            if (result.FirstProblem is not null)
            {
                problems.Add(result.FirstProblem);
            }
        }

        if (instances.Count == 0 && problems.Count == 0)
        {
            problems.Add(new AuditProblem("*", string.Join(", ", directories), 0, null, "no audit files were found"));
        }

        return new AuditVerificationResult(instances, problems);
    }

    private static InstanceVerification VerifyInstance(Chain chain, List<(string Path, long FirstSeq)> files, Window a, Window b, ProgressState progress)
    {
        foreach (var (path, firstSeq) in files)
        {
            if (firstSeq != chain.ExpectedSeq)
            {
                var message = firstSeq > chain.ExpectedSeq
                    ? $"the file starts at seq {firstSeq} but the chain expects {chain.ExpectedSeq}: records or a whole file are missing before it"
                    : $"the file starts at seq {firstSeq} but the chain is already at {chain.ExpectedSeq}: a file was duplicated or renamed";
                return Result(new FileProblem(0, null, message), path);
            }

            AuditFileBytes bytes;
            try
            {
                bytes = AuditFileBytes.Open(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                return Result(new FileProblem(0, null, $"the file could not be opened or decompressed ({ex.GetType().Name})"), path);
            }

            using (bytes)
            {
                if (VerifyFile(chain, bytes, a, b, progress) is { } problem)
                {
                    return Result(problem, path);
                }
            }
        }

        if (chain.UnreachedCheckpoint is { } checkpoint)
        {
            return Result(new FileProblem(0, null,
                $"the chain ends at seq {chain.ExpectedSeq - 1} but a signed checkpoint covers seq {checkpoint.Count} (signed {checkpoint.Time:u}): records were removed from the end"),
                files.Count > 0 ? files[^1].Path : "*");
        }

        return Result(null, null);

        InstanceVerification Result(FileProblem? problem, string? path)
        {
            progress.Report();
            var located = problem is { } p ? new AuditProblem(chain.Instance, Path.GetFileName(path!), p.Line, p.Seq, p.Message) : null;
            return new(chain.Instance, chain.ExpectedSeq - 1, chain.HeadHash, files.Count, located, chain.VerifiedCheckpoints);
        }
    }

    /// <summary>Loads window k+1 (read, split, hash on every worker) while window k is linked.</summary>
    private static FileProblem? VerifyFile(Chain chain, AuditFileBytes handle, Window loading, Window linking, ProgressState progress)
    {
        var length = handle.Length;
        {
            if (length == 0)
            {
                return new FileProblem(0, null, "the file is empty");
            }

            chain.StartFile();
            Task? next = LoadAsync(loading, handle, length, 0);
            while (next is not null)
            {
                var failure = Wait(next);
                if (failure is not null)
                {
                    return new FileProblem(chain.LineNumber + 1, null, $"the file could not be read ({failure.GetType().Name})");
                }

                (loading, linking) = (linking, loading);
                var end = linking.End;
                next = end < length ? LoadAsync(loading, handle, length, end) : null;
                var problem = chain.Link(linking);
                progress.Add(linking.LineCount, linking.End - linking.Start);
                if (problem is not null)
                {
                    if (next is not null)
                    {
                        Wait(next);
                    }

                    return problem;
                }
            }

            return handle.Finish() is { } trailing ? new FileProblem(chain.LineNumber, null, trailing) : null;
        }
    }

    private static Task LoadAsync(Window window, AuditFileBytes handle, long length, long start) =>
        Task.Run(() => window.Load(handle, length, start));

    private static Exception? Wait(Task task)
    {
        try
        {
            task.GetAwaiter().GetResult();
            return null;
        }
        catch (AggregateException ex) when (ex.InnerException is IOException inner)
        {
            return inner;
        }
        catch (IOException ex)
        {
            return ex;
        }
    }

    private static long SafeLength(string path)
    {
        try
        {
            return new FileInfo(File.Exists(path) || !File.Exists(path + ".zst") ? path : path + ".zst").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private readonly record struct FileProblem(long Line, long? Seq, string Message);

    /// <summary>The sequential state of one instance's chain: what the next record must look like.</summary>
    private sealed class Chain(string instance, List<AuditCheckpoint> checkpoints)
    {
        private readonly byte[] _prevHash = Encoding.ASCII.GetBytes(AuditJson.GenesisHash);
        private readonly List<byte[]> _checkpointHashes = [.. checkpoints.Select(c => Encoding.ASCII.GetBytes(c.HeadHash))];
        private int _nextCheckpoint;

        public string Instance => instance;

        public long ExpectedSeq { get; private set; } = 1;

        public string HeadHash => Encoding.ASCII.GetString(_prevHash);

        public long LineNumber { get; private set; }

        public int VerifiedCheckpoints { get; private set; }

        public AuditCheckpoint? UnreachedCheckpoint => _nextCheckpoint < checkpoints.Count ? checkpoints[^1] : null;

        public void StartFile() => LineNumber = 0;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public FileProblem? Link(Window window)
        {
            foreach (var range in window.Ranges)
            {
                for (var i = 0; i < range.LineCount; i++)
                {
                    LineNumber++;
                    if (!AuditLine.TryGetParts(range.Line(i), out var seq, out var prev, out var hash, out _))
                    {
                        return new FileProblem(LineNumber, null, "the record is malformed (edited, or not an audit record)");
                    }

                    if (seq != ExpectedSeq)
                    {
                        return new FileProblem(LineNumber, seq, seq > ExpectedSeq
                            ? $"expected seq {ExpectedSeq}: {seq - ExpectedSeq} record(s) were deleted before this one"
                            : $"expected seq {ExpectedSeq}: a record was inserted or records were reordered");
                    }

                    if (!prev.SequenceEqual(_prevHash))
                    {
                        return new FileProblem(LineNumber, seq, "its 'prev' does not match the previous record's hash: records before it were deleted, inserted, reordered or altered");
                    }

                    if (!range.HashMatches[i])
                    {
                        return new FileProblem(LineNumber, seq, "its hash does not match its content: the record was altered");
                    }

                    hash.CopyTo(_prevHash);
                    ExpectedSeq++;
                    while (_nextCheckpoint < checkpoints.Count && checkpoints[_nextCheckpoint].Count == seq)
                    {
                        if (!_checkpointHashes[_nextCheckpoint].AsSpan().SequenceEqual(_prevHash))
                        {
                            return new FileProblem(LineNumber, seq, "a signed checkpoint records a different hash for this record: the chain was rewritten");
                        }

                        VerifiedCheckpoints++;
                        _nextCheckpoint++;
                    }
                }

                switch (range.Tail)
                {
                    case RangeTail.Incomplete:
                        return new FileProblem(LineNumber + 1, null, "the file ends with an incomplete record (truncated or torn)");
                    case RangeTail.TooLong:
                        return new FileProblem(LineNumber + 1, null, $"a record is longer than {MaxRecordBytes >> 20} MiB: the file is corrupt");
                }
            }

            return null;
        }
    }

    /// <summary>A stretch of a file split into one byte range per worker, loaded in parallel.</summary>
    private sealed class Window(int workers) : IDisposable
    {
        private readonly Range[] _ranges = [.. Enumerable.Range(0, workers).Select(_ => new Range())];
        private int _used;

        public long Start { get; private set; }

        public long End { get; private set; }

        public IEnumerable<Range> Ranges => _ranges.Take(_used);

        public int LineCount => Ranges.Sum(r => r.LineCount);

        public void Load(AuditFileBytes handle, long length, long start)
        {
            handle.Advance(start > 0 ? start - 1 : 0);
            Start = start;
            End = Math.Min(length, start + ((long)RangeBytes * _ranges.Length));
            _used = (int)Math.Clamp((End - start) / MinRangeBytes, 1, _ranges.Length);
            if (_used == 1)
            {
                _ranges[0].Load(handle, length, start, End);
                return;
            }

            var (from, to, used) = (Start, End, _used);
            Parallel.For(0, used, new ParallelOptions { MaxDegreeOfParallelism = used }, w =>
                _ranges[w].Load(handle, length, from + ((to - from) * w / used), from + ((to - from) * (w + 1) / used)));
        }

        public void Dispose()
        {
            foreach (var range in _ranges)
            {
                range.Dispose();
            }
        }
    }

    private enum RangeTail
    {
        Complete,
        Incomplete,
        TooLong,
    }

    /// <summary>
    /// One worker's byte range: the lines that start inside it (read past its end to finish the last
    /// one), and whether each line's stated hash matches its content. A line belongs to the range its
    /// first byte is in, so ranges never share a line.
    /// </summary>
    private sealed class Range : IDisposable
    {
        // Reused: a one-shot SHA256.HashData pays the native context setup on every record.
        private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = new byte[RangeBytes + (64 << 10)];
        private int[] _starts = new int[4096];
        private int[] _lengths = new int[4096];
        private bool[] _hashMatches = new bool[4096];
        private int _filled;

        public int LineCount { get; private set; }

        public RangeTail Tail { get; private set; }

        public ReadOnlySpan<bool> HashMatches => _hashMatches;

        public ReadOnlySpan<byte> Line(int index) => _buffer.AsSpan(_starts[index], _lengths[index]);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Load(AuditFileBytes handle, long fileLength, long start, long end)
        {
            LineCount = 0;
            Tail = RangeTail.Complete;
            var bufferOffset = start > 0 ? start - 1 : 0;
            _filled = 0;
            Fill(handle, bufferOffset, (int)(end - bufferOffset), fileLength);

            // The first line that starts in the range: at its start, or just past the first newline in it.
            int p;
            if (start == 0)
            {
                p = 0;
            }
            else if (_buffer[0] == (byte)'\n')
            {
                p = 1;
            }
            else
            {
                var first = _buffer.AsSpan(1, _filled - 1).IndexOf((byte)'\n');
                if (first < 0)
                {
                    return;
                }

                p = first + 2;
            }

            while (bufferOffset + p < end)
            {
                var searched = p;
                int newline;
                while ((newline = _buffer.AsSpan(searched, _filled - searched).IndexOf((byte)'\n')) < 0)
                {
                    searched = _filled;
                    if (bufferOffset + _filled >= fileLength)
                    {
                        Tail = RangeTail.Incomplete;
                        HashLines();
                        return;
                    }

                    if (_filled - p >= MaxRecordBytes)
                    {
                        Tail = RangeTail.TooLong;
                        HashLines();
                        return;
                    }

                    Fill(handle, bufferOffset + _filled, 64 << 10, fileLength);
                }

                AddLine(p, searched - p + newline);
                p = searched + newline + 1;
            }

            HashLines();
        }

        public void Dispose() => _sha256.Dispose();

        private void Fill(AuditFileBytes handle, long fileOffset, int count, long fileLength)
        {
            count = (int)Math.Min(count, fileLength - fileOffset);
            if (_buffer.Length < _filled + count)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _filled + count));
            }

            while (count > 0)
            {
                var read = handle.Read(_buffer.AsSpan(_filled, count), fileOffset);
                if (read == 0)
                {
                    throw new IOException("The file became shorter while it was being verified.");
                }

                _filled += read;
                fileOffset += read;
                count -= read;
            }
        }

        private void AddLine(int start, int length)
        {
            if (LineCount == _starts.Length)
            {
                Array.Resize(ref _starts, LineCount * 2);
                Array.Resize(ref _lengths, LineCount * 2);
                Array.Resize(ref _hashMatches, LineCount * 2);
            }

            _starts[LineCount] = start;
            _lengths[LineCount] = length;
            LineCount++;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void HashLines()
        {
            Span<byte> digest = stackalloc byte[32];
            Span<byte> hex = stackalloc byte[64];
            for (var i = 0; i < LineCount; i++)
            {
                if (!AuditLine.TryGetParts(Line(i), out _, out _, out var hash, out var hashed))
                {
                    _hashMatches[i] = false;
                    continue;
                }

                _sha256.AppendData(hashed);
                _sha256.GetHashAndReset(digest);
                Convert.TryToHexStringLower(digest, hex, out _);
                _hashMatches[i] = hex.SequenceEqual(hash);
            }
        }
    }

    private sealed class ProgressState(Action<AuditVerificationProgress>? callback, long totalBytes)
    {
        private long _records;
        private long _bytes;
        private long _lastReported;

        public void Add(long records, long bytes)
        {
            _records += records;
            _bytes += bytes;
            if (_records - _lastReported >= 1 << 16)
            {
                Report();
            }
        }

        public void Report()
        {
            _lastReported = _records;
            callback?.Invoke(new AuditVerificationProgress(_records, _bytes, Math.Max(totalBytes, _bytes)));
        }
    }
}
