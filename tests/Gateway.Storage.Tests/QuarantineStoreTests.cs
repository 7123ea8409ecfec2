using Gateway.Storage.Quarantine;

namespace Gateway.Storage.Tests;

public class QuarantineStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static QuarantineEntry Entry(string messageId, int retentionDays = 30) => new()
    {
        PracticeId = "p1",
        Vertical = "dental",
        MessageId = messageId,
        EndpointType = "track",
        Reason = "schema-invalid",
        Violations = """[{"path":"properties.zip","rule":"max-length"}]""",
        ProtectedEvent = "CfDJ8-protected-bytes",
        QuarantinedAt = T0,
        ExpiresAt = T0.AddDays(retentionDays),
    };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Add_IsIdempotentPerMessage_AndEntriesRoundTrip(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Quarantine();
        var id = await store.AddAsync(Entry("m1"));
        Assert.Equal(id, await store.AddAsync(Entry("m1")));
        var entry = await store.GetAsync("p1", id);
        Assert.Equal(Entry("m1") with { Id = id }, entry);
        Assert.Null(await store.GetAsync("p2", id));
        Assert.Single(await store.ListAsync("p1"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Replay_IsRecorded(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Quarantine();
        var id = await store.AddAsync(Entry("m1"));
        await store.MarkReplayedAsync(id, T0.AddDays(1), "forwarded");
        var entry = await store.GetAsync("p1", id);
        Assert.Equal("forwarded", entry!.ReplayOutcome);
        Assert.Equal(T0.AddDays(1), entry.ReplayedAt);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Purge_RemovesOnlyEntriesPastTheirRetention(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Quarantine();
        await store.AddAsync(Entry("short", retentionDays: 1));
        await store.AddAsync(Entry("long", retentionDays: 30));
        Assert.Equal(0, await store.PurgeExpiredAsync(T0.AddHours(23)));
        Assert.Equal(1, await store.PurgeExpiredAsync(T0.AddDays(1)));
        Assert.Equal("long", Assert.Single(await store.ListAsync("p1")).MessageId);
    }
}
