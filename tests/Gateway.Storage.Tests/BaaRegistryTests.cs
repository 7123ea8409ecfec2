using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;

namespace Gateway.Storage.Tests;

public class BaaRegistryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BaaRecord Record(string destination, BaaStatus status = BaaStatus.Active, DateTimeOffset? expires = null) => new()
    {
        PracticeId = "p1",
        Destination = destination,
        Status = status,
        EffectiveFrom = T0,
        ExpiresAt = expires,
        DocumentReference = "contracts/2026/baa-17.pdf",
        Covers = DataClasses.PseudonymousId | DataClasses.Date | DataClasses.Url,
        RecordedAt = T0,
        RecordedBy = "ops",
    };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Current_IsTheLatestRecordPerDestination(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var registry = backend.BaaRegistry();
        var first = await registry.AppendAsync(Record("scoring"));
        var terminated = await registry.AppendAsync(Record("scoring", BaaStatus.Terminated, T0.AddDays(10)));
        var meta = await registry.AppendAsync(Record("meta", expires: T0.AddYears(1)));

        var current = await registry.CurrentAsync("p1");
        Assert.Equal([meta, terminated], current.OrderBy(b => b.Destination, StringComparer.Ordinal));
        Assert.Equal([first, terminated, meta], await registry.HistoryAsync("p1"));
        Assert.False(terminated.InForceAt(T0.AddDays(1)));
        Assert.True(meta.InForceAt(T0.AddDays(1)));
        Assert.False(meta.InForceAt(T0.AddYears(1)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Records_CannotBeRewritten(string backendName)
    {
        using var backend = Backends.Create(backendName);
        await backend.BaaRegistry().AppendAsync(Record("scoring"));
        Assert.ThrowsAny<Exception>(() => backend.Execute("UPDATE baa_records SET covers = 'phi'"));
        Assert.ThrowsAny<Exception>(() => backend.Execute("DELETE FROM baa_records"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task UnreadableStore_ThrowsStoreUnavailable(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var registry = backend.BaaRegistry();
        await registry.AppendAsync(Record("scoring"));
        backend.Break();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => registry.CurrentAsync("p1"));
    }
}
