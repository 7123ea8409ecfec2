using Gateway.Compliance.Consent;
using Gateway.Storage.Consent;
using Gateway.Storage.Postgres;
using Gateway.Testing;
using Npgsql;

namespace Gateway.Storage.Tests;

/// <summary>What only the PostgreSQL backend has to prove: its schema, shared start-up, the key table, failing closed when the server is gone.</summary>
public class PostgresStoreTests
{
    [PostgresFact]
    public void UnreachableServer_ThrowsStoreUnavailable_AtStart()
    {
        var port = ClosedPort();
        using var database = new PostgresDatabase(
            new PostgresConnectionSettings { ConnectionString = $"Host=127.0.0.1;Port={port};Username=nobody;Timeout=2", Schema = "gateway" }, AppContext.BaseDirectory);

        var ex = Assert.Throws<StoreUnavailableException>(() => new RelationalConsentLedger(database));
        Assert.Equal("consent", ex.Store);
    }

    [PostgresFact]
    public async Task ServerGoneAfterStart_ThrowsStoreUnavailable_OnEveryStore()
    {
        using var backend = new PostgresBackend();
        var ledger = backend.ConsentLedger();
        var outbox = backend.Outbox();
        var quarantine = backend.Quarantine();
        var checkpoints = backend.Checkpoints();

        // Every connection of the schema's pool is cut, and the tables are gone: nothing may be answered from memory.
        backend.Break();
        NpgsqlConnection.ClearAllPools();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => ledger.CurrentAsync("p1", ["s1"]));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => outbox.ClaimAsync("w1", DateTimeOffset.UtcNow, 10, TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => quarantine.ListAsync("p1"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => checkpoints.ReadAllAsync());
    }

    [PostgresFact]
    public void EveryTable_LivesInTheConfiguredSchema_CreatedWhenMissing()
    {
        using var backend = new PostgresBackend();
        _ = backend.ConsentLedger();
        _ = backend.BaaRegistry();
        _ = backend.Outbox();
        _ = backend.Quarantine();
        _ = backend.Checkpoints();
        _ = new PostgresKeyStore(backend.Database);

        Assert.Equal(
            ["audit_checkpoints", "baa_records", "consent_records", "consent_versions", "data_protection_keys", "dead_letters", "outbox", "outbox_delivered", "quarantine", "schema_migrations"],
            Tables(backend.Schema));
    }

    [PostgresFact]
    public async Task InstancesStartingTogether_MigrateOnce()
    {
        using var backend = new PostgresBackend();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
        {
            _ = backend.ConsentLedger();
            _ = backend.Outbox();
            _ = backend.Checkpoints();
        })));

        using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT component, COUNT(*) FROM {backend.Schema}.schema_migrations GROUP BY component ORDER BY component;", connection);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        Assert.Equal([("checkpoints", 1L), ("consent", 2L), ("outbox", 2L)], rows);
    }

    [PostgresFact]
    public async Task KeyStore_KeepsEveryElement_AndKnowsWhenItHoldsAKey()
    {
        using var backend = new PostgresBackend();
        var keys = new PostgresKeyStore(backend.Database);
        Assert.False(await keys.HasKeysAsync());

        keys.Add("revocation-20261122", "<revocation version=\"1\" />");
        Assert.False(await keys.HasKeysAsync());
        keys.Add("key-3b5e", "<key id=\"3b5e\" version=\"1\" />");
        keys.Add("key-3b5e", "<key id=\"3b5e\" version=\"1\" />");

        Assert.True(await keys.HasKeysAsync());
        Assert.Equal(["<revocation version=\"1\" />", "<key id=\"3b5e\" version=\"1\" />"], keys.ReadAll());
    }

    [PostgresFact]
    public async Task Checkpoints_CannotBeRewritten()
    {
        using var backend = new PostgresBackend();
        using var signer = Compliance.Audit.AuditCheckpointSigner.Create();
        await backend.Checkpoints().AppendAsync(signer.Sign("gw-a", new Compliance.Audit.AuditChainState(3, new string('a', 64)), DateTimeOffset.UtcNow));

        Assert.ThrowsAny<PostgresException>(() => backend.Execute("UPDATE audit_checkpoints SET count = 1"));
        Assert.ThrowsAny<PostgresException>(() => backend.Execute("DELETE FROM audit_checkpoints"));
        Assert.ThrowsAny<PostgresException>(() => backend.Execute("TRUNCATE audit_checkpoints"));
        Assert.ThrowsAny<PostgresException>(() => backend.Execute("TRUNCATE consent_records"));
    }

    [PostgresFact]
    public async Task ARevocationThroughOneInstance_IsWhatAnotherInstanceReadsNext()
    {
        using var backend = new PostgresBackend();
        using var otherDatabase = new PostgresDatabase(new PostgresConnectionSettings { ConnectionString = TestPostgres.ConnectionString, Schema = backend.Schema }, AppContext.BaseDirectory);
        var a = backend.ConsentLedger();
        var b = new RelationalConsentLedger(otherDatabase);
        var at = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        ConsentRecord Record(ConsentDecision decision, int minutes) => new()
        {
            PracticeId = "p1", Subject = "s1", Purpose = "analytics", Decision = decision, Source = ConsentSources.Api, RecordedAt = at.AddMinutes(minutes),
        };

        await a.AppendAsync([Record(ConsentDecision.Granted, 0)]);
        Assert.Equal(ConsentDecision.Granted, Assert.Single(await b.CurrentAsync("p1", ["s1"])).Decision);
        await a.AppendAsync([Record(ConsentDecision.Revoked, 1)]);
        Assert.Equal(ConsentDecision.Revoked, Assert.Single(await b.CurrentAsync("p1", ["s1"])).Decision);
    }

    private static List<string> Tables(string schema)
    {
        using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @s ORDER BY table_name COLLATE \"C\";", connection);
        command.Parameters.AddWithValue("s", schema);
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
