using Gateway.Storage.Deduplication;
using Gateway.Storage.Relational;
using Gateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Tests;

/// <summary>
/// What the SQLite ledger adds to the contract every backend meets (<see cref="MessageIdLedgerTests"/>): only
/// completions are written, in time order; they survive a restart, claims do not; a database of the earlier
/// one-row-per-id ledger keeps its completed ids; and one process at a time holds the file.
/// </summary>
public sealed class SqliteMessageIdLedgerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gw-ledger-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "gateway.db");

    [Fact]
    public async Task CompletedIds_AreStillDuplicates_AfterARestart_WhileClaimsOfTheStoppedProcessAreFree()
    {
        using (var first = new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath)))
        {
            await first.ClaimAsync("p1", ["done", "open"], "gw-1", T0, Window, Lease);
            await first.CompleteAsync("p1", ["done"], T0.AddSeconds(1));
        }

        using var second = new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath));
        var after = await second.ClaimAsync("p1", ["done", "open"], "gw-1", T0.AddSeconds(5), Window, Lease);
        Assert.Equal(MessageIdClaim.Duplicate, after["done"]);
        // The stopped process took its request with it: the SDK's retry is processed now, not after the lease.
        Assert.Equal(MessageIdClaim.Claimed, after["open"]);
        Assert.Equal(0, await second.ReleaseAbandonedAsync("gw-1", T0.AddSeconds(5)));
    }

    [Fact]
    public async Task OnlyCompletions_AreWritten_InTheOrderTheyHappened()
    {
        using var ledger = new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath));
        await ledger.ClaimAsync("p1", ["c", "a", "b", "never"], "gw-1", T0, Window, Lease);
        await ledger.CompleteAsync("p1", ["c"], T0.AddSeconds(2));
        await ledger.CompleteAsync("p1", ["a", "b"], T0.AddSeconds(3));
        await ledger.ReleaseAsync("p1", ["never"]);

        Assert.Equal(
            [(Ms(T0.AddSeconds(2)), "c"), (Ms(T0.AddSeconds(3)), "a"), (Ms(T0.AddSeconds(3)), "b")],
            Rows("SELECT completed_at, message_id FROM message_id_log;", r => (r.GetInt64(0), r.GetString(1))));
        Assert.Equal(0L, Rows("SELECT COUNT(*) FROM sqlite_master WHERE name = 'message_ids';", r => r.GetInt64(0)).Single());
    }

    [Fact]
    public async Task ADatabaseOfTheEarlierLedger_KeepsItsCompletedIds_AndDropsItsClaims()
    {
        var database = new SqliteDatabase(DatabasePath);
        RelationalMigrator.Migrate(database, "deduplication", [EarlierSchema]);
        using (var connection = database.Open())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"""
                INSERT INTO message_ids VALUES ('p1', 'done', 'done', {Ms(T0)}, 'gw-1');
                INSERT INTO message_ids VALUES ('p1', 'claimed', 'claimed', {Ms(T0)}, 'gw-1');
                """;
            insert.ExecuteNonQuery();
        }

        using var ledger = new SqliteMessageIdLedger(database);
        var after = await ledger.ClaimAsync("p1", ["done", "claimed"], "gw-1", T0.AddMinutes(1), Window, Lease);
        Assert.Equal(MessageIdClaim.Duplicate, after["done"]);
        Assert.Equal(MessageIdClaim.Claimed, after["claimed"]);
        Assert.Equal(1, ledger.Count);
    }

    [Fact]
    public async Task ASecondLedgerOnTheSameFile_IsRefused_UntilTheFirstIsGone()
    {
        var first = new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath));
        await first.ClaimAsync("p1", ["m1"], "gw-1", T0, Window, Lease);

        var refused = Assert.Throws<StoreUnavailableException>(() => new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath)));
        Assert.Equal("deduplication", refused.Store);
        Assert.Contains("one process per SQLite database", refused.InnerException!.Message, StringComparison.Ordinal);

        first.Dispose();
        using var second = new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath));
        Assert.Equal(MessageIdClaim.Claimed, (await second.ClaimAsync("p1", ["m1"], "gw-1", T0, Window, Lease))["m1"]);
    }

    [Fact]
    public async Task ACompletionThatCannotBeWritten_Fails_AndLeavesTheIdClaimedUntilItsLease()
    {
        using var ledger = new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath));
        await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0, Window, Lease);
        Execute("CREATE TRIGGER refuse BEFORE INSERT ON message_id_log BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => ledger.CompleteAsync("p1", ["m1"], T0.AddSeconds(1)));
        Assert.Equal("deduplication", error.Store);

        // Not counted as completed (it is not durable), still held: a retry waits, then takes it over after the lease.
        Assert.Equal(MessageIdClaim.InFlight, (await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0.AddSeconds(2), Window, Lease))["m1"]);
        Assert.Equal(MessageIdClaim.Claimed, (await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0.AddMinutes(3), Window, Lease))["m1"]);
        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public async Task Purge_ForgetsOldIds_InTheFileAndInMemory()
    {
        using (var ledger = new SqliteMessageIdLedger(new SqliteDatabase(DatabasePath)))
        {
            await ledger.ClaimAsync("p1", ["old", "new"], "gw-1", T0, Window, Lease);
            await ledger.CompleteAsync("p1", ["old"], T0);
            await ledger.CompleteAsync("p1", ["new"], T0.AddHours(30));

            Assert.Equal(1, await ledger.PurgeAsync(T0.AddHours(25)));
            Assert.Equal(1, ledger.Count);
            // Within the (longer) window of this claim, only a forgotten id is new again.
            var after = await ledger.ClaimAsync("p1", ["old", "new"], "gw-1", T0.AddHours(31), TimeSpan.FromDays(5), Lease);
            Assert.Equal([MessageIdClaim.Claimed, MessageIdClaim.Duplicate], new[] { after["old"], after["new"] });
        }

        Assert.Equal(["new"], Rows("SELECT message_id FROM message_id_log;", r => r.GetString(0)));
    }

    [Fact]
    public void TheInMemoryKey_SeparatesPracticeFromMessageId()
    {
        Assert.NotEqual(SqliteMessageIdLedger.Key("p1", "2m"), SqliteMessageIdLedger.Key("p12", "m"));
        Assert.NotEqual(SqliteMessageIdLedger.Key("p1", "m1"), SqliteMessageIdLedger.Key("p2", "m1"));
        Assert.Equal(SqliteMessageIdLedger.Key("p1", "m1"), SqliteMessageIdLedger.Key("p1", "m1"));
        var longId = new string('x', 5000);
        Assert.NotEqual(SqliteMessageIdLedger.Key("p1", longId), SqliteMessageIdLedger.Key("p1", longId + "y"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Version 1 of the ledger's schema, as the gateway before this one created it.</summary>
    private const string EarlierSchema = """
        CREATE TABLE message_ids (
            practice_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
            changed_at INTEGER NOT NULL,
            owner TEXT NOT NULL,
            PRIMARY KEY (practice_id, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_message_ids_changed ON message_ids (changed_at);
        """;

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private List<T> Rows<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
