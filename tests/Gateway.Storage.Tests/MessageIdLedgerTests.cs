using Gateway.Storage.Deduplication;

namespace Gateway.Storage.Tests;

public class MessageIdLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ACompletedId_IsADuplicate_WithinTheWindow_AndNewAgainAfterIt(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.MessageIds();
        Assert.Equal(MessageIdClaim.Claimed, (await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0, Window, Lease))["m1"]);
        await ledger.CompleteAsync("p1", ["m1"], T0.AddSeconds(1));

        Assert.Equal(MessageIdClaim.Duplicate, (await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0.AddHours(23), Window, Lease))["m1"]);
        Assert.Equal(MessageIdClaim.Claimed, (await ledger.ClaimAsync("p2", ["m1"], "gw-1", T0.AddHours(23), Window, Lease))["m1"]);
        Assert.Equal(MessageIdClaim.Claimed, (await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0.AddHours(25), Window, Lease))["m1"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AnOpenClaim_IsInFlight_UntilReleasedOrItsLeaseLapses(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.MessageIds();
        await ledger.ClaimAsync("p1", ["m1", "m2"], "gw-1", T0, Window, Lease);

        var again = await ledger.ClaimAsync("p1", ["m1", "m2", "m3"], "gw-1", T0.AddSeconds(30), Window, Lease);
        Assert.Equal([MessageIdClaim.InFlight, MessageIdClaim.InFlight, MessageIdClaim.Claimed], new[] { again["m1"], again["m2"], again["m3"] });

        await ledger.ReleaseAsync("p1", ["m1"]);
        Assert.Equal(MessageIdClaim.Claimed, (await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0.AddSeconds(31), Window, Lease))["m1"]);

        // A claim a crashed request left behind is taken over once its lease has lapsed.
        Assert.Equal(MessageIdClaim.Claimed, (await ledger.ClaimAsync("p1", ["m2"], "gw-1", T0.AddMinutes(3), Window, Lease))["m2"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ARestartedInstance_GivesBackOnlyItsOwnEarlierOpenClaims(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.MessageIds();
        await ledger.ClaimAsync("p1", ["mine", "done"], "gw-1", T0, Window, Lease);
        await ledger.CompleteAsync("p1", ["done"], T0);
        await ledger.ClaimAsync("p1", ["theirs"], "gw-2", T0, Window, Lease);
        await ledger.ClaimAsync("p1", ["new"], "gw-1", T0.AddSeconds(20), Window, Lease);

        Assert.Equal(1, await ledger.ReleaseAbandonedAsync("gw-1", T0.AddSeconds(10)));
        var after = await ledger.ClaimAsync("p1", ["mine", "done", "theirs", "new"], "gw-3", T0.AddSeconds(30), Window, Lease);
        Assert.Equal([MessageIdClaim.Claimed, MessageIdClaim.Duplicate, MessageIdClaim.InFlight, MessageIdClaim.InFlight],
            new[] { after["mine"], after["done"], after["theirs"], after["new"] });
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ReleaseAndComplete_TouchOnlyOpenClaims(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.MessageIds();
        await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0, Window, Lease);
        await ledger.CompleteAsync("p1", ["m1"], T0);
        await ledger.ReleaseAsync("p1", ["m1"]);
        Assert.Equal(MessageIdClaim.Duplicate, (await ledger.ClaimAsync("p1", ["m1"], "gw-1", T0.AddMinutes(1), Window, Lease))["m1"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TwoConcurrentClaimsOfOneId_HaveExactlyOneWinner(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var a = backend.MessageIds();
        var b = backend.MessageIds();
        var ids = Enumerable.Range(0, 40).Select(i => $"m{i}").ToList();
        var results = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).ClaimAsync("p1", ids, "gw-1", T0, Window, Lease))));
        foreach (var id in ids)
        {
            Assert.Single(results, r => r[id] == MessageIdClaim.Claimed);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OneBatch_OfNewDoneOpenAndAbandonedIds_GetsEachItsOwnAnswer(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.MessageIds();
        await ledger.ClaimAsync("p1", ["done", "open", "abandoned"], "gw-1", T0, Window, Lease);
        await ledger.CompleteAsync("p1", ["done"], T0);
        await ledger.ReleaseAsync("p1", ["open"]);
        await ledger.ClaimAsync("p1", ["open"], "gw-1", T0.AddMinutes(2), Window, Lease);

        // At T0 + 3 min the abandoned claim (T0) has lapsed; "open" was claimed again at T0 + 2 min and is in flight.
        var batch = await ledger.ClaimAsync("p1", ["new-b", "done", "open", "abandoned", "new-a"], "gw-1", T0.AddMinutes(3), Window, Lease);

        Assert.Equal(
            [MessageIdClaim.Claimed, MessageIdClaim.Duplicate, MessageIdClaim.InFlight, MessageIdClaim.Claimed, MessageIdClaim.Claimed],
            new[] { batch["new-b"], batch["done"], batch["open"], batch["abandoned"], batch["new-a"] });
        Assert.Equal(MessageIdClaim.InFlight, (await ledger.ClaimAsync("p1", ["new-a"], "gw-1", T0.AddMinutes(3), Window, Lease))["new-a"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Purge_ForgetsOnlyOldIds(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.MessageIds();
        await ledger.ClaimAsync("p1", ["old"], "gw-1", T0, Window, Lease);
        await ledger.CompleteAsync("p1", ["old"], T0);
        await ledger.ClaimAsync("p1", ["new"], "gw-1", T0.AddHours(30), Window, Lease);
        await ledger.CompleteAsync("p1", ["new"], T0.AddHours(30));

        Assert.Equal(1, await ledger.PurgeAsync(T0.AddHours(25)));
        Assert.Equal(MessageIdClaim.Duplicate, (await ledger.ClaimAsync("p1", ["new"], "gw-1", T0.AddHours(31), Window, Lease))["new"]);
    }
}
