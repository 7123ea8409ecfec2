using System.Collections.Concurrent;
using System.Data.Common;
using Gateway.Storage.Sqlite;

namespace Gateway.Storage.Tests;

/// <summary>
/// Concurrent writes to one SQLite file commit together (one transaction, one fsync), yet each write succeeds or fails
/// on its own, and a completed write is durable.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gw-group-commit-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "gateway.db");

    public SqliteGroupCommitTests()
    {
        Directory.CreateDirectory(_directory);
        using var connection = new SqliteDatabase(DatabasePath).Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task WritesQueuedWhileOneRuns_CommitTogetherInOneTransaction_AndAreAllDurable()
    {
        var database = new SqliteDatabase(DatabasePath);
        var transactions = new ConcurrentBag<DbTransaction>();
        var (first, releaseFirst) = await HeldWriteAsync(database, 0, transactions.Add);

        var queued = Enumerable.Range(1, 50).Select(id => database.WriteAsync(async (connection, transaction) =>
        {
            transactions.Add(transaction);
            return await InsertAsync(connection, transaction, id);
        }, CancellationToken.None)).ToList();
        Assert.All(queued, write => Assert.False(write.IsCompleted));
        releaseFirst.SetResult();

        Assert.Equal(Enumerable.Repeat(1, 51), await Task.WhenAll([first, .. queued]));
        // The 50 writes that waited behind the first went in one transaction: 2 commits for 51 writes.
        Assert.Equal(2, transactions.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Equal(Enumerable.Range(0, 51), ReadIdsAfterReopen());
    }

    [Fact]
    public async Task AWriteThatFails_FailsAlone_AndTheOthersOfItsGroupCommit()
    {
        var database = new SqliteDatabase(DatabasePath);
        await database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, 7), CancellationToken.None);
        var (first, releaseFirst) = await HeldWriteAsync(database, 1);
        var before = database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, 2), CancellationToken.None);
        var duplicate = database.WriteAsync(async (connection, transaction) =>
        {
            await InsertAsync(connection, transaction, 3);
            // Row 3 is written, then the write fails: its savepoint takes row 3 back with it.
            return await InsertAsync(connection, transaction, 7);
        }, CancellationToken.None);
        var thrown = database.WriteAsync<int>((_, _) => throw new InvalidOperationException("refused by the caller"), CancellationToken.None);
        var after = database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, 4), CancellationToken.None);
        releaseFirst.SetResult();

        Assert.Equal(1, await first);
        Assert.Equal(1, await before);
        Assert.Equal(1, await after);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => duplicate);
        Assert.Equal("refused by the caller", (await Assert.ThrowsAsync<InvalidOperationException>(() => thrown)).Message);
        Assert.Equal([1, 2, 4, 7], ReadIdsAfterReopen());
    }

    [Fact]
    public async Task AWriteCancelledWhileQueued_NeverRuns()
    {
        var database = new SqliteDatabase(DatabasePath);
        var (first, releaseFirst) = await HeldWriteAsync(database, 1);
        using var cancel = new CancellationTokenSource();
        var cancelled = database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, 2), cancel.Token);
        cancel.Cancel();
        releaseFirst.SetResult();

        Assert.Equal(1, await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal([1], ReadIdsAfterReopen());
    }

    [Fact]
    public async Task AWriteThatFillsTheDisk_FailsWithTheStoresError_NoWriteClaimsSuccessItDidNotKeep_AndTheQueueGoesOn()
    {
        var database = new SqliteDatabase(DatabasePath);
        var (first, releaseFirst) = await HeldWriteAsync(database, 1);

        var before = database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, 2), CancellationToken.None);
        var full = database.WriteAsync(async (connection, transaction) =>
        {
            // The file may not grow by a page: a large row fails with SQLITE_FULL, as on a full disk.
            await using var pages = connection.CreateCommand();
            pages.Transaction = transaction;
            pages.CommandText = "PRAGMA page_count;";
            var count = Convert.ToInt64(await pages.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            pages.CommandText = $"PRAGMA max_page_count = {count};";
            await pages.ExecuteNonQueryAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO items (id, label) VALUES (3, hex(zeroblob(400000)))";
            return await insert.ExecuteNonQueryAsync();
        }, CancellationToken.None);
        var after = database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, 4), CancellationToken.None);
        releaseFirst.SetResult();

        Assert.Equal(1, await first);
        var error = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => full);
        Assert.True(database.IsUnavailable(error));
        var kept = new List<int> { 1 };
        foreach (var (id, write) in new[] { (2, before), (4, after) })
        {
            try
            {
                await write;
                kept.Add(id);
            }
            catch (Microsoft.Data.Sqlite.SqliteException other)
            {
                // SQLite rolled the whole transaction back: the others fail with the store's error, never another kind.
                Assert.True(database.IsUnavailable(other));
            }
        }

        // The limit is the pooled connection's: a fresh one has none.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(1, await database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, 5), CancellationToken.None));
        kept.Add(5);
        Assert.Equal(kept, ReadIdsAfterReopen());
    }

    /// <summary>A write of row <paramref name="id"/> that holds the drainer until released; running when this returns.</summary>
    private static async Task<(Task<int> Write, TaskCompletionSource Release)> HeldWriteAsync(SqliteDatabase database, int id, Action<DbTransaction>? seen = null)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = database.WriteAsync(async (connection, transaction) =>
        {
            seen?.Invoke(transaction);
            started.SetResult();
            await release.Task;
            return await InsertAsync(connection, transaction, id);
        }, CancellationToken.None);
        await started.Task;
        return (write, release);
    }

    private static async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, int id)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO items (id, label) VALUES ({id}, 'row')";
        return await command.ExecuteNonQueryAsync();
    }

    private List<int> ReadIdsAfterReopen()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var connection = new SqliteDatabase(DatabasePath).Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM items ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }
}
