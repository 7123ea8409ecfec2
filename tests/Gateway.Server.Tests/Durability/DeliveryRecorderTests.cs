using Gateway.Compliance.Audit;
using Gateway.Server.Configuration;
using Gateway.Server.Durability;
using Gateway.Storage.Outbox;
using Gateway.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Tests.Durability;

/// <summary>
/// Reconciliation of remembered deliveries with a real SQLite outbox and a real audit file: a delivery whose record a
/// crash lost gets exactly one (marked reconciled), one whose record was written before the crash gets none.
/// </summary>
public sealed class DeliveryRecorderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static OutboxEntry Entry(string messageId) => new()
    {
        PracticeId = "p1",
        Destination = "scoring",
        Cluster = "scoring",
        MessageId = messageId,
        PolicyName = "dental",
        PolicyVersion = "1",
        PolicySha256 = new string('0', 64),
        Event = "{}"u8.ToArray(),
        EnqueuedAt = T0,
        NextAttemptAt = T0,
    };

    private FileAuditLog OpenAudit() => FileAuditLog.Open(new AuditFileOptions { Directory = Path.Combine(_root, "audit"), InstanceId = "gw-1" });

    private static DeliveryRecorder Recorder(IOutboxStore store, IAuditLog audit) =>
        new(store, audit, TimeProvider.System, Options.Create(new GatewayOptions { InstanceId = "gw-1" }), NullLogger<DeliveryRecorder>.Instance);

    private Dictionary<string, List<AuditDeliveryRecord>> Deliveries() =>
        new AuditReader([Path.Combine(_root, "audit")]).Read(new AuditQuery { Kinds = new HashSet<string>([AuditKinds.Delivery]) })
            .Select(r => r.Delivery!).SelectMany(d => d.MessageIds.Select(id => (id, d)))
            .GroupBy(x => x.id).ToDictionary(g => g.Key, g => g.Select(x => x.d).ToList());

    [Fact]
    public async Task AfterACrash_EveryRememberedDelivery_EndsWithExactlyOneRecord()
    {
        var store = new SqliteOutboxStore(new SqliteDatabase(Path.Combine(_root, "gateway.db")));
        var held = await store.EnqueueAsync([Entry("lost"), Entry("written")], new OutboxClaim(OutboxClaim.DirectWorker("gw-1"), T0.AddMinutes(1)));
        using (var audit = OpenAudit())
        {
            // Crash 1 (record lost): delivered and remembered, no record. Crash 2 (record written, not yet forgotten).
            await store.CompleteAsync([.. held.Select(e => e.Id)], new DeliveryReceipt("gw-1", T0, 200, "direct"));
            await audit.AppendAsync([Gateway.Server.Auditing.GatewayAuditRecords.Delivery("p1", "scoring", "scoring", ["written"], true, 200, null, "direct")]);
        }

        using (var audit = OpenAudit())
        {
            Assert.Equal(1, await Recorder(store, audit).ReconcileAsync(live: false, CancellationToken.None));
        }

        var records = Deliveries();
        var reconciled = Assert.Single(records["lost"]);
        Assert.True(reconciled.Delivered);
        Assert.Equal("direct", reconciled.Attempt);
        Assert.Single(records["written"]);
        Assert.Empty(await store.UnrecordedDeliveriesAsync("gw-1"));
        Assert.Contains(new AuditReader([Path.Combine(_root, "audit")]).Read(), r => r.Root.TryGetProperty("reconciled", out _));
    }

    [Fact]
    public async Task RecordThatCannotBeWritten_StaysRemembered_AndIsWrittenOnceTheAuditIsBack()
    {
        var store = new SqliteOutboxStore(new SqliteDatabase(Path.Combine(_root, "gateway.db")));
        var held = await store.EnqueueAsync([Entry("outage")], new OutboxClaim(OutboxClaim.DirectWorker("gw-1"), T0.AddMinutes(1)));
        var recorder = Recorder(store, new UnavailableAudit());

        await recorder.DeliveredAsync(held, 200, "direct", CancellationToken.None);

        Assert.True(recorder.MayHaveUnrecorded);
        Assert.Equal(["outage"], (await store.UnrecordedDeliveriesAsync("gw-1")).Select(d => d.MessageId));
        using (var audit = OpenAudit())
        {
            Assert.Equal(1, await Recorder(store, audit).ReconcileAsync(live: false, CancellationToken.None));
        }

        Assert.Single(Deliveries()["outage"]);
    }

    private sealed class UnavailableAudit : IAuditLog
    {
        public bool IsHealthy => false;

        public AuditChainState Head => AuditChainState.Genesis;

        public ValueTask AppendAsync(IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken = default) =>
            throw new AuditUnavailableException("The audit folder is gone.");

        public void Enqueue(byte[] body)
        {
        }
    }
}
