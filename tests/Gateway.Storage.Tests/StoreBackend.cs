using Gateway.Storage.Baa;
using Gateway.Storage.Consent;
using Gateway.Storage.Sqlite;

namespace Gateway.Storage.Tests;

/// <summary>
/// One real database to run the store tests against. Every backend runs the same tests; a fresh database
/// (file or schema) per test.
/// </summary>
public abstract class StoreBackend : IDisposable
{
    public abstract string Name { get; }

    public abstract IConsentLedger ConsentLedger();

    public abstract IBaaRegistry BaaRegistry();

    public abstract Outbox.IOutboxStore Outbox();

    public abstract Quarantine.IQuarantineStore Quarantine();

    /// <summary>Makes the store unreadable (for fail-closed tests).</summary>
    public abstract void Break();

    /// <summary>Runs raw SQL against the backend (to prove append-only by trying to rewrite history).</summary>
    public abstract void Execute(string sql);

    public abstract void Dispose();

    public override string ToString() => Name;
}

public sealed class SqliteBackend : StoreBackend
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gw-store-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteDatabase _database;

    public SqliteBackend()
    {
        _database = new SqliteDatabase(Path.Combine(_directory, "gateway.db"));
    }

    public override string Name => "sqlite";

    public override IConsentLedger ConsentLedger() => new SqliteConsentLedger(_database);

    public override IBaaRegistry BaaRegistry() => new SqliteBaaRegistry(_database);

    public override Outbox.IOutboxStore Outbox() => new SqliteOutboxStore(_database);

    public override Quarantine.IQuarantineStore Quarantine() => new SqliteQuarantineStore(_database);

    public override void Break()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_directory))
        {
            File.WriteAllBytes(file, Enumerable.Repeat((byte)0x42, 8192).ToArray());
        }
    }

    public override void Execute(string sql)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override void Dispose()
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
}

/// <summary>The backends every store test runs against.</summary>
public static class Backends
{
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string> { "sqlite" };
        return data;
    }

    public static StoreBackend Create(string name) => name switch
    {
        "sqlite" => new SqliteBackend(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
