using Gateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Tests;

/// <summary>
/// The durability and privacy settings hold on every connection the gateway uses: the first open, a connection the
/// pool hands out again (settings applied once, kept by the native connection) and a new native connection after the
/// pool let the old ones go.
/// </summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gw-sqlite-settings-tests", Guid.NewGuid().ToString("N"));

    public SqliteConnectionSettingsTests() => Directory.CreateDirectory(_directory);

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

    [Fact]
    public async Task EveryOpenedConnection_HasFullSyncWalSecureDeleteForeignKeysAndMemoryTempStore()
    {
        var database = new SqliteDatabase(Path.Combine(_directory, "gateway.db"), busyTimeoutMs: 7000);

        SQLitePCL.sqlite3 native;
        await using (var first = (SqliteConnection)await database.OpenConnectionAsync())
        {
            AssertSettings(first);
            native = first.Handle!;
        }

        // Back from the pool: the same native connection, not configured a second time, still with its settings.
        await using (var pooled = (SqliteConnection)await database.OpenConnectionAsync())
        {
            Assert.Same(native, pooled.Handle);
            AssertSettings(pooled);
        }

        using (var synchronous = database.Open())
        {
            AssertSettings(synchronous);
        }

        SqliteConnection.ClearAllPools();
        await using (var fresh = (SqliteConnection)await database.OpenConnectionAsync())
        {
            AssertSettings(fresh);
        }

        // Two open at once: the second is a new native connection, configured on its own.
        await using var one = (SqliteConnection)await database.OpenConnectionAsync();
        await using var two = (SqliteConnection)await database.OpenConnectionAsync();
        Assert.NotSame(one.Handle, two.Handle);
        AssertSettings(one);
        AssertSettings(two);
    }

    private static void AssertSettings(SqliteConnection connection)
    {
        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal("2", Pragma(connection, "synchronous")); // FULL
        Assert.Equal("1", Pragma(connection, "foreign_keys"));
        Assert.Equal("1", Pragma(connection, "secure_delete"));
        Assert.Equal("2", Pragma(connection, "temp_store")); // MEMORY
        Assert.Equal("7000", Pragma(connection, "busy_timeout"));
    }

    private static string Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
