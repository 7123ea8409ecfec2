using System.Data.Common;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gateway.Storage.Tests;

/// <summary>
/// The SQLite stores run on connections kept open with their statements prepared: a statement is prepared once per
/// connection and text, a caller's disposal only clears it, closing finalizes every one, and a connection whose
/// operation failed is never used again. Statements are counted on the native connection (<c>sqlite3_next_stmt</c>).
/// </summary>
public sealed class SqliteKeptConnectionTests : IDisposable
{
    private const string Insert = "INSERT INTO items (id, label) VALUES (@id, @label);";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gw-kept-connection-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteDatabase _database;

    public SqliteKeptConnectionTests()
    {
        Directory.CreateDirectory(_directory);
        _database = new SqliteDatabase(Path.Combine(_directory, "gateway.db"));
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task TheSameText_GetsTheSamePreparedStatement_WithTheLastCallersParametersCleared()
    {
        await using var connection = await OpenCountedAsync();
        var first = connection.Command(Insert, null);
        await ExecuteAsync(first, 1, "one");
        Assert.Equal(1, LiveStatements(connection.Handle!));

        var second = connection.Command(Insert, null);
        Assert.Same(first, second);
        Assert.Empty(second.Parameters);
        await ExecuteAsync(second, 2, "two");

        Assert.Equal(1, LiveStatements(connection.Handle!));
        Assert.Equal(1, connection.Kept);
        Assert.Equal(["1 one", "2 two"], await ReadAsync(connection));

        // Kept, but reset: no statement holds a read snapshot open between uses (it would stop WAL checkpoints).
        Assert.Equal(2, LiveStatements(connection.Handle!));
        Assert.Equal(0, LiveStatements(connection.Handle!, busyOnly: true));
    }

    [Fact]
    public async Task ClosingTheConnection_FinalizesEveryKeptStatement()
    {
        var connection = await OpenCountedAsync();
        await ExecuteAsync(connection.Command(Insert, null), 1, "one");
        Assert.Equal(["1 one"], await ReadAsync(connection));
        var native = connection.Handle!;
        Assert.Equal(2, LiveStatements(native));

        await connection.DisposeAsync();

        // The native connection stays open in Microsoft.Data.Sqlite's pool, without statements.
        Assert.Equal(0, LiveStatements(native));
        Assert.Equal(0, connection.Kept);
    }

    [Fact]
    public async Task BeyondCapacity_ATextIsPreparedForItsUseOnly()
    {
        await using var connection = await OpenCountedAsync();
        for (var i = 0; i < SqliteKeptConnection.Capacity + 5; i++)
        {
            await using var command = connection.Command($"SELECT {i};", null);
            Assert.Equal((long)i, await command.ExecuteScalarAsync());
        }

        Assert.Equal(SqliteKeptConnection.Capacity, connection.Kept);
        Assert.Equal(SqliteKeptConnection.Capacity, LiveStatements(connection.Handle!));
    }

    [Fact]
    public async Task ACommandWhoseTextACallerChanged_ComesBackWithTheTextAskedFor()
    {
        await using var connection = await _database.OpenKeptAsync();
        await using (var changed = connection.Command("SELECT 1;", null))
        {
            changed.CommandText = "SELECT 2;";
            Assert.Equal(2L, await changed.ExecuteScalarAsync());
        }

        await using var again = connection.Command("SELECT 1;", null);
        Assert.Equal(1L, await again.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Reads_ReuseAKeptConnection_ButNotOneWhoseReadFailed()
    {
        var first = await _database.WithConnectionAsync(Task.FromResult, CancellationToken.None);
        var second = await _database.WithConnectionAsync(Task.FromResult, CancellationToken.None);
        Assert.Same(first, second);
        Assert.IsType<SqliteKeptConnection>(first);

        await Assert.ThrowsAsync<SqliteException>(() => _database.WithConnectionAsync<object?>(async connection =>
        {
            await using var broken = ((IPreparedCommands)connection).Command("SELECT * FROM no_such_table;", null);
            return await broken.ExecuteScalarAsync();
        }, CancellationToken.None));

        var third = await _database.WithConnectionAsync(Task.FromResult, CancellationToken.None);
        Assert.NotSame(first, third);
        Assert.Equal(System.Data.ConnectionState.Closed, first.State);
    }

    [Fact]
    public async Task ConcurrentReads_EachHaveTheirOwnConnection_AndAtMostMaxIdleReadersAreKept()
    {
        var readers = 2 * SqliteDatabase.MaxIdleReaders;
        var firstRound = await ConcurrentReadsAsync(readers);
        Assert.Equal(readers, firstRound.Distinct(ReferenceEqualityComparer.Instance).Count());

        var secondRound = await ConcurrentReadsAsync(readers);
        Assert.Equal(SqliteDatabase.MaxIdleReaders, secondRound.Intersect(firstRound, ReferenceEqualityComparer.Instance).Count());
        // Whichever came back first were kept; every other one is closed.
        var seen = firstRound.Union(secondRound, ReferenceEqualityComparer.Instance).Cast<DbConnection>().ToList();
        Assert.Equal(SqliteDatabase.MaxIdleReaders, seen.Count(c => c.State == System.Data.ConnectionState.Open));
    }

    [Fact]
    public async Task GroupCommits_RunOnOneKeptWriter_UntilAGroupsTransactionFails()
    {
        var first = await _database.WriteAsync((connection, _) => Task.FromResult(connection), CancellationToken.None);
        var second = await _database.WriteAsync((connection, _) => Task.FromResult(connection), CancellationToken.None);
        Assert.Same(first, second);

        // A write that ends the group's transaction itself makes the commit fail: the group fails, its connection is closed.
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => _database.WriteAsync((_, transaction) =>
        {
            transaction.Rollback();
            return Task.FromResult(0);
        }, CancellationToken.None));
        Assert.Equal(System.Data.ConnectionState.Closed, first.State);

        var third = await _database.WriteAsync(async (connection, transaction) =>
        {
            await ExecuteAsync(((IPreparedCommands)connection).Command(Insert, transaction), 3, "three");
            return connection;
        }, CancellationToken.None);
        Assert.NotSame(first, third);
        await using var reader = await _database.OpenKeptAsync();
        Assert.Equal(["3 three"], await ReadAsync(reader));
    }

    private async Task<List<DbConnection>> ConcurrentReadsAsync(int count)
    {
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var reads = Enumerable.Range(0, count).Select(_ => _database.WithConnectionAsync(async connection =>
        {
            if (Interlocked.Increment(ref started) == count)
            {
                all.SetResult();
            }

            await all.Task;
            return connection;
        }, CancellationToken.None)).ToList();
        return [.. await Task.WhenAll(reads)];
    }

    private static async Task ExecuteAsync(DbCommand command, int id, string label)
    {
        await using (command)
        {
            RelationalStore.Add(command, "@id", id);
            RelationalStore.Add(command, "@label", label);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    private static async Task<List<string>> ReadAsync(SqliteKeptConnection connection)
    {
        await using var command = connection.Command("SELECT id, label FROM items ORDER BY id;", null);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetInt64(0)} {reader.GetString(1)}");
        }

        return rows;
    }

    /// <summary>Opens a kept connection whose statements <see cref="LiveStatements"/> can count.</summary>
    private async Task<SqliteKeptConnection> OpenCountedAsync()
    {
        var connection = await _database.OpenKeptAsync();
        connection.Handle!.enable_sqlite3_next_stmt(true);
        return connection;
    }

    private static int LiveStatements(sqlite3 native, bool busyOnly = false)
    {
        var count = 0;
        for (var statement = raw.sqlite3_next_stmt(native, null); statement is not null && !statement.IsInvalid; statement = raw.sqlite3_next_stmt(native, statement))
        {
            if (!busyOnly || raw.sqlite3_stmt_busy(statement) != 0)
            {
                count++;
            }
        }

        return count;
    }
}
