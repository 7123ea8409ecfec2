using Gateway.Compliance.Audit;
using Gateway.Storage.Baa;
using Gateway.Storage.Consent;
using Gateway.Storage.Postgres;
using Gateway.Storage.Sqlite;
using Gateway.Testing;

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

    public abstract Deduplication.IMessageIdLedger MessageIds();

    /// <summary>The audit checkpoint store that goes with the backend (a folder with SQLite, the shared table with PostgreSQL).</summary>
    public abstract IAuditCheckpointStore Checkpoints();

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
    private Deduplication.SqliteMessageIdLedger? _messageIds;

    public SqliteBackend()
    {
        _database = new SqliteDatabase(Path.Combine(_directory, "gateway.db"));
    }

    public override string Name => "sqlite";

    public override IConsentLedger ConsentLedger() => new RelationalConsentLedger(_database);

    public override IBaaRegistry BaaRegistry() => new RelationalBaaRegistry(_database);

    public override Outbox.IOutboxStore Outbox() => new SqliteOutboxStore(_database);

    public override Quarantine.IQuarantineStore Quarantine() => new SqliteQuarantineStore(_database);

    /// <summary>The one ledger of this file: one gateway process holds it (a second is refused, see SqliteMessageIdLedgerTests).</summary>
    public override Deduplication.IMessageIdLedger MessageIds() => _messageIds ??= new Deduplication.SqliteMessageIdLedger(_database);

    public override IAuditCheckpointStore Checkpoints() => new FileCheckpointStore(Path.Combine(_directory, "checkpoints"));

    public override void Break()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_directory).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
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
        _messageIds?.Dispose();
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

/// <summary>
/// A fresh schema in the test PostgreSQL server (<see cref="TestPostgres"/>), dropped afterwards. The stores
/// create the schema and their tables, as they do in production.
/// </summary>
public sealed class PostgresBackend : StoreBackend
{
    private readonly PostgresDatabase _database;

    public PostgresBackend()
    {
        Schema = TestPostgres.NewSchemaName("store");
        _database = new PostgresDatabase(new PostgresConnectionSettings { ConnectionString = TestPostgres.ConnectionString, Schema = Schema }, AppContext.BaseDirectory, "store-tests");
    }

    public override string Name => "postgres";

    public string Schema { get; }

    public PostgresDatabase Database => _database;

    public override IConsentLedger ConsentLedger() => new RelationalConsentLedger(_database);

    public override IBaaRegistry BaaRegistry() => new RelationalBaaRegistry(_database);

    public override Outbox.IOutboxStore Outbox() => new PostgresOutboxStore(_database);

    public override Quarantine.IQuarantineStore Quarantine() => new PostgresQuarantineStore(_database);

    public override Deduplication.IMessageIdLedger MessageIds() => new Deduplication.PostgresMessageIdLedger(_database);

    public override IAuditCheckpointStore Checkpoints() => new PostgresCheckpointStore(_database);

    /// <summary>The schema disappears under the running stores: every query fails as it would against a lost database.</summary>
    public override void Break() => TestPostgres.DropSchema(Schema);

    public override void Execute(string sql) => TestPostgres.Execute(Schema, sql);

    public override void Dispose()
    {
        _database.Dispose();
        TestPostgres.DropSchema(Schema);
    }
}

/// <summary>
/// The backends every store test runs against: SQLite always, PostgreSQL when <c>GATEWAY_TEST_POSTGRES</c> is set
/// (<c>./scripts/test.sh</c> sets it; <see cref="PostgresTestsRanTests"/> fails when it is not, so they are never skipped silently).
/// </summary>
public static class Backends
{
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string> { "sqlite" };
        if (TestPostgres.IsConfigured)
        {
            data.Add("postgres");
        }

        return data;
    }

    public static StoreBackend Create(string name) => name switch
    {
        "sqlite" => new SqliteBackend(),
        "postgres" => new PostgresBackend(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
