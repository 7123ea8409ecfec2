using Gateway.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoring.Service.Options;
using Scoring.Service.Storage;
using Scoring.Service.Storage.Postgres;
using Scoring.Service.Storage.Sqlite;
using Scoring.Tests.Functional;

namespace Scoring.Tests.Storage;

/// <summary>The <see cref="ILeadStore"/> contract, proven the same way on SQLite and on PostgreSQL.</summary>
public sealed class LeadStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    private static IncomingBatch Batch(params string[] messageIds) => new("p1", "dental", "1", T0,
        [.. messageIds.Select(m => new IncomingEvent(m, "track", "Service Page Viewed", "u1", null, null, T0, new Dictionary<string, string> { ["properties.service_line"] = "implants" }))]);

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task ConcurrentRetriesOfOneBatch_StoreEachEventOnce(string backend)
    {
        using var store = await Store.OpenAsync(backend);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => store.Lead.AppendAsync(Batch("m1", "m2", "m3", "m4"), CancellationToken.None))));

        Assert.Equal(4, results.Sum(r => r.Accepted));
        Assert.Equal(20, results.Sum(r => r.Duplicates));
        Assert.Equal(4, (await store.Lead.GetEventsAsync(new LeadKey("p1", "u1"), CancellationToken.None)).Count);
    }

    [Theory]
    [MemberData(nameof(ScoringBackends.All), MemberType = typeof(ScoringBackends))]
    public async Task ASave_AppliesOnlyAtTheExpectedVersion(string backend)
    {
        using var store = await Store.OpenAsync(backend);
        await store.Lead.AppendAsync(Batch("m1"), CancellationToken.None);
        var lead = (await store.Lead.FindLeadAsync("p1", "u1", CancellationToken.None))!;

        var update = new LeadUpdate(lead.Key, lead.Version, lead.State, T0.AddHours(1), null, [], null, LeadFacts.None, []);
        Assert.True(await store.Lead.TrySaveAsync(update, CancellationToken.None));
        Assert.False(await store.Lead.TrySaveAsync(update, CancellationToken.None));
        Assert.Equal(lead.Version + 1, (await store.Lead.FindLeadAsync("p1", "u1", CancellationToken.None))!.Version);
    }

    private sealed class Store : IDisposable
    {
        private readonly string? _schema;
        private readonly string _folder;

        private Store(ILeadStore lead, string? schema, string folder)
        {
            Lead = lead;
            _schema = schema;
            _folder = folder;
        }

        public ILeadStore Lead { get; }

        public static async Task<Store> OpenAsync(string backend)
        {
            var folder = Path.Combine(Path.GetTempPath(), "scoring-store-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            string? schema = null;
            var options = new StorageOptions { SqlitePath = Path.Combine(folder, "scoring.db") };
            ILeadStore lead;
            if (backend == ScoringBackends.Postgres)
            {
                schema = TestPostgres.NewSchemaName("leads");
                options.Provider = StorageOptions.PostgresProvider;
                options.Postgres = new PostgresStorageOptions { ConnectionString = TestPostgres.ConnectionString, Schema = schema };
                lead = new PostgresLeadStore(Options.Create(options), TimeProvider.System);
            }
            else
            {
                lead = new SqliteLeadStore(Options.Create(options), TimeProvider.System);
            }

            await lead.InitializeAsync(CancellationToken.None);
            return new Store(lead, schema, folder);
        }

        public void Dispose()
        {
            (Lead as IDisposable)?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_schema is not null)
            {
                TestPostgres.DropSchema(_schema);
            }

            Directory.Delete(_folder, recursive: true);
        }
    }
}
