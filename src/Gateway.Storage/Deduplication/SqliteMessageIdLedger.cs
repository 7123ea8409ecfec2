using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Gateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Deduplication;

/// <summary>
/// <see cref="IMessageIdLedger"/> for the one gateway process on a SQLite file. Only what must survive a restart is
/// written: a completion, appended to <c>message_id_log</c> in time order (its key starts with the time), so a group
/// commit adds a page or two at the end of one B-tree instead of dirtying a random leaf per event. The window is held
/// in memory, read back at start; claims are held only in memory, because a process that stops takes its requests
/// with it: nothing it claimed can still be in flight, and a claim left in the file would only make the SDK's retry
/// wait for the lease.
/// <para>
/// In memory each id is a 128-bit key (XXH128 of the practice and the message id), about 50 bytes
/// per id in the window, in arrays the garbage collector does not scan. The ledger holds an exclusive lock on
/// <c>{database}.message-ids.lock</c> while it lives: a second gateway on the same file fails at start instead of
/// deduplicating against a window it cannot see. Several instances use PostgreSQL (<see cref="PostgresMessageIdLedger"/>).
/// </para>
/// </summary>
public sealed class SqliteMessageIdLedger : SqliteStore, IMessageIdLedger, IDisposable
{
    private static readonly string[] s_migrations =
    [
        // 1: one row per id with its state (claims were durable), as PostgreSQL still keeps it.
        """
        CREATE TABLE message_ids (
            practice_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
            changed_at INTEGER NOT NULL,
            owner TEXT NOT NULL,
            PRIMARY KEY (practice_id, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_message_ids_changed ON message_ids (changed_at);
        """,
        // 2: completions appended in time order; the completed ids of version 1 are carried over, its claims are not
        // (no request of an earlier process is still running).
        """
        CREATE TABLE message_id_log (
            completed_at INTEGER NOT NULL,
            practice_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            PRIMARY KEY (completed_at, practice_id, message_id)
        ) WITHOUT ROWID;
        INSERT INTO message_id_log (completed_at, practice_id, message_id)
            SELECT changed_at, practice_id, message_id FROM message_ids WHERE state = 'done';
        DROP TABLE message_ids;
        """,
    ];

    private readonly FileStream _lock;
    private readonly Lock _gate = new();

    /// <summary>When each id of the window was forwarded or queued (Unix ms); no references, so the GC skips the arrays.</summary>
    private readonly Dictionary<IdKey, long> _completed;

    /// <summary>The ids requests of this process hold now.</summary>
    private readonly Dictionary<IdKey, OpenClaim> _open = [];

    public SqliteMessageIdLedger(SqliteDatabase database)
        : base(database, "deduplication", s_migrations)
    {
        _lock = TakeLock(database.Path + ".message-ids.lock");
        try
        {
            _completed = Load(database);
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>How many completed ids are held (the window, until the next purge).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _completed.Count;
            }
        }
    }

    public Task<IReadOnlyDictionary<string, MessageIdClaim>> ClaimAsync(string practiceId, IReadOnlyCollection<string> messageIds, string owner, DateTimeOffset now,
        TimeSpan window, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, MessageIdClaim>(messageIds.Count, StringComparer.Ordinal);
        var at = Ms(now);
        var keys = Keys(practiceId, messageIds);
        lock (_gate)
        {
            var i = 0;
            foreach (var id in messageIds)
            {
                var key = keys[i++];
                if (_open.TryGetValue(key, out var open) && at - open.ClaimedAt < lease.TotalMilliseconds)
                {
                    result[id] = MessageIdClaim.InFlight;
                }
                else if (_completed.TryGetValue(key, out var completedAt) && at - completedAt < window.TotalMilliseconds)
                {
                    result[id] = MessageIdClaim.Duplicate;
                }
                else
                {
                    // New, completed before the window, or a claim whose request outlived its lease: taken.
                    _open[key] = new OpenClaim(at, owner);
                    result[id] = MessageIdClaim.Claimed;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, MessageIdClaim>>(result);
    }

    /// <summary>Appends the held ids to the log (in the group commit) and only then counts them as completed: until the
    /// append is durable they stay claimed, so a retry waits instead of passing.</summary>
    public async Task CompleteAsync(string practiceId, IReadOnlyCollection<string> messageIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var keys = Keys(practiceId, messageIds);
        var held = new List<(IdKey Key, string Id)>(messageIds.Count);
        lock (_gate)
        {
            var i = 0;
            foreach (var id in messageIds)
            {
                var key = keys[i++];
                if (_open.ContainsKey(key))
                {
                    held.Add((key, id));
                }
            }
        }

        if (held.Count == 0)
        {
            return;
        }

        var at = Ms(now);
        await InTransactionAsync(async (connection, transaction) =>
        {
            await using var insert = Command(connection, transaction,
                "INSERT OR IGNORE INTO message_id_log (completed_at, practice_id, message_id) VALUES ($at, $practice, $id);");
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$at", at);
            insert.Parameters.AddWithValue("$practice", practiceId);
            foreach (var (_, messageId) in held)
            {
                id.Value = messageId;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return held.Count;
        }, cancellationToken);

        lock (_gate)
        {
            foreach (var (key, _) in held)
            {
                _open.Remove(key);
                _completed[key] = at;
            }
        }
    }

    public Task ReleaseAsync(string practiceId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        var keys = Keys(practiceId, messageIds);
        lock (_gate)
        {
            foreach (var key in keys)
            {
                _open.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Claims never outlive the process, so after a restart there is nothing to give back; within a process, the
    /// owner's claims older than <paramref name="before"/>.</summary>
    public Task<int> ReleaseAbandonedAsync(string owner, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var cutoff = Ms(before);
        lock (_gate)
        {
            return Task.FromResult(RemoveWhere(_open, (_, claim) => claim.Owner == owner && claim.ClaimedAt < cutoff));
        }
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var cutoff = Ms(before);
        var purged = await ExecuteAsync("DELETE FROM message_id_log WHERE completed_at < $before;", c => c.Parameters.AddWithValue("$before", cutoff), cancellationToken);
        lock (_gate)
        {
            RemoveWhere(_completed, (_, completedAt) => completedAt < cutoff);
            if (_completed.Count < _completed.EnsureCapacity(0) / 4)
            {
                _completed.TrimExcess();
            }

            // A claim no request gave back (it cannot happen, but must not stay forever).
            return purged + RemoveWhere(_open, (_, claim) => claim.ClaimedAt < cutoff);
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// The in-memory key of one id: XXH128 over the practice and the message id, each preceded by its length, so no two
    /// pairs share an input. A non-cryptographic hash is enough here: the ids the gateway deduplicates are its keyed
    /// pseudonyms of the SDK's message ids, which a client cannot choose, so only a chance collision is possible, and
    /// that needs about 2^64 ids. (A collision would drop an event as a duplicate; it could never disclose one.) It costs
    /// about 8 ns, against about 430 ns for a one-shot SHA-256 through OpenSSL on the benchmark machine.
    /// </summary>
    internal static IdKey Key(string practiceId, string messageId)
    {
        var length = 8 + Encoding.UTF8.GetMaxByteCount(practiceId.Length) + Encoding.UTF8.GetMaxByteCount(messageId.Length);
        byte[]? rented = null;
        Span<byte> buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var practice = Encoding.UTF8.GetBytes(practiceId, buffer[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(buffer, practice);
            var at = 4 + practice;
            var message = Encoding.UTF8.GetBytes(messageId, buffer[(at + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], message);
            var hash = XxHash128.HashToUInt128(buffer[..(at + 4 + message)]);
            return new IdKey((ulong)(hash >> 64), (ulong)hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static IdKey[] Keys(string practiceId, IReadOnlyCollection<string> messageIds)
    {
        var keys = new IdKey[messageIds.Count];
        var i = 0;
        foreach (var id in messageIds)
        {
            keys[i++] = Key(practiceId, id);
        }

        return keys;
    }

    private static FileStream TakeLock(string path)
    {
        try
        {
            return ExclusiveFileLock.Take(path);
        }
        catch (IOException ex)
        {
            throw new StoreUnavailableException("deduplication", new InvalidOperationException(
                $"Another gateway process holds {path}: one process per SQLite database (several instances need PostgreSQL).", ex));
        }
    }

    private static Dictionary<IdKey, long> Load(SqliteDatabase database)
    {
        try
        {
            using var connection = database.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM message_id_log;";
            var completed = new Dictionary<IdKey, long>((int)(long)count.ExecuteScalar()!);
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT completed_at, practice_id, message_id FROM message_id_log ORDER BY completed_at;";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                // In time order: a later completion of the same id (taken again after the window) wins.
                completed[Key(reader.GetString(1), reader.GetString(2))] = reader.GetInt64(0);
            }

            return completed;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException("deduplication", ex);
        }
    }

    private static int RemoveWhere<T>(Dictionary<IdKey, T> entries, Func<IdKey, T, bool> remove)
    {
        var removed = 0;
        foreach (var (key, value) in entries)
        {
            if (remove(key, value) && entries.Remove(key))
            {
                removed++;
            }
        }

        return removed;
    }

    private readonly record struct OpenClaim(long ClaimedAt, string Owner);

    /// <summary>A 128-bit key as two 64-bit halves: 8-byte aligned, so a dictionary entry is 32 bytes (a <see cref="UInt128"/>
    /// key is 16-byte aligned and makes it 48).</summary>
    internal readonly record struct IdKey(ulong High, ulong Low);
}
