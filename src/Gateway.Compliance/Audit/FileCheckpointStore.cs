using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Checkpoints as append-only JSON lines, one file per instance (<c>checkpoints-{instance}.jsonl</c>) in a
/// folder that must not be the audit folder. Each line is
/// <c>{"instance","count","head","ts","keyId","sig"}</c>; each append is fsynced.
/// </summary>
public sealed class FileCheckpointStore : IAuditCheckpointStore
{
    private const string Prefix = "checkpoints-";
    private const string Extension = ".jsonl";

    private readonly Lock _lock = new();

    public FileCheckpointStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public static string FileNameFor(string instance) => Prefix + instance + Extension;

    public Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!AuditFileNames.IsValidInstanceId(checkpoint.Instance))
        {
            throw new ArgumentException("The checkpoint's instance id is not valid.", nameof(checkpoint));
        }

        var line = Format(checkpoint);
        lock (_lock)
        {
            System.IO.Directory.CreateDirectory(Directory);
            var path = Path.Combine(Directory, FileNameFor(checkpoint.Instance));
            using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);

            // A crash mid-append leaves a torn last line; it was never complete, so it is cut before appending.
            stream.Position = stream.Length;
            if (stream.Length > 0 && !EndsWithNewline(stream))
            {
                stream.SetLength(LastNewlineEnd(stream));
                stream.Position = stream.Length;
            }

            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }

        return Task.CompletedTask;
    }

    public Task<AuditCheckpoint?> GetLatestAsync(string instance, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Directory, FileNameFor(instance));
        if (!File.Exists(path))
        {
            return Task.FromResult<AuditCheckpoint?>(null);
        }

        AuditCheckpoint? latest = null;
        foreach (var (line, _, _) in ReadLines(path))
        {
            if (TryParse(line, out var checkpoint, out _))
            {
                latest = checkpoint;
            }
        }

        return Task.FromResult(latest);
    }

    public Task<AuditCheckpointSet> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var checkpoints = new List<StoredCheckpoint>();
        var problems = new List<AuditProblem>();
        if (!System.IO.Directory.Exists(Directory))
        {
            problems.Add(new AuditProblem("*", Directory, 0, null, "the checkpoint folder does not exist"));
            return Task.FromResult(new AuditCheckpointSet(checkpoints, problems));
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(path);
            var fileInstance = fileName[Prefix.Length..^Extension.Length];
            foreach (var (line, number, complete) in ReadLines(path))
            {
                if (!complete)
                {
                    // An unfinished append (crash); the next append cuts it. Nothing signed is lost.
                    continue;
                }

                if (!TryParse(line, out var checkpoint, out var error))
                {
                    problems.Add(new AuditProblem(fileInstance, fileName, number, null, $"the checkpoint is malformed ({error})"));
                }
                else if (checkpoint.Instance != fileInstance)
                {
                    problems.Add(new AuditProblem(fileInstance, fileName, number, null, $"the checkpoint is for instance '{checkpoint.Instance}', not this file's"));
                }
                else
                {
                    checkpoints.Add(new StoredCheckpoint(checkpoint, fileName, number));
                }
            }
        }

        return Task.FromResult(new AuditCheckpointSet(checkpoints, problems));
    }

    /// <summary>One checkpoint as a JSON line (with its newline).</summary>
    public static byte[] Format(AuditCheckpoint checkpoint)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Relaxed escaping keeps the '+' and '/' of the time and the base64 signature as they are (quotes are still escaped).
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("instance", checkpoint.Instance);
            writer.WriteNumber("count", checkpoint.Count);
            writer.WriteString("head", checkpoint.HeadHash);
            writer.WriteString("ts", checkpoint.Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("keyId", checkpoint.KeyId);
            writer.WriteString("sig", checkpoint.Signature);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses one line; the error names what is wrong, never a value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out AuditCheckpoint checkpoint, out string error)
    {
        checkpoint = null!;
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }

            if (!TryString(root, "instance", out var instance, out error)
                || !TryString(root, "head", out var head, out error)
                || !TryString(root, "ts", out var ts, out error)
                || !TryString(root, "keyId", out var keyId, out error)
                || !TryString(root, "sig", out var sig, out error))
            {
                return false;
            }

            if (!root.TryGetProperty("count", out var countElement) || !countElement.TryGetInt64(out var count) || count < 1)
            {
                error = "'count' must be a positive integer";
                return false;
            }

            if (head.Length != 64 || !head.All(char.IsAsciiHexDigitLower))
            {
                error = "'head' must be 64 lower-case hex characters";
                return false;
            }

            if (!DateTimeOffset.TryParseExact(ts, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            {
                error = "'ts' must be an ISO 8601 round-trip time";
                return false;
            }

            checkpoint = new AuditCheckpoint(instance, count, head, time, keyId, sig);
            error = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            error = "not valid JSON";
            return false;
        }
    }

    private static bool TryString(JsonElement root, string name, out string value, out string error)
    {
        if (root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } text)
        {
            value = text;
            error = string.Empty;
            return true;
        }

        value = string.Empty;
        error = $"'{name}' is missing or not a string";
        return false;
    }

    private static IEnumerable<(byte[] Line, long Number, bool Complete)> ReadLines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var start = 0;
        long number = 0;
        while (start < bytes.Length)
        {
            number++;
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            if (newline < 0)
            {
                yield return (bytes[start..], number, false);
                yield break;
            }

            yield return (bytes[start..newline], number, true);
            start = newline + 1;
        }
    }

    private static bool EndsWithNewline(FileStream stream)
    {
        stream.Position = stream.Length - 1;
        var last = stream.ReadByte();
        stream.Position = stream.Length;
        return last == '\n';
    }

    private static long LastNewlineEnd(FileStream stream)
    {
        var buffer = new byte[4096];
        var position = stream.Length;
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
}
