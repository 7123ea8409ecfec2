using Gateway.Storage.Outbox;

namespace Gateway.Storage.Tests;

public class OutboxStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static OutboxEntry Entry(string messageId, string destination = "scoring", string practice = "p1") => new()
    {
        PracticeId = practice,
        Destination = destination,
        Cluster = "scoring",
        Subject = "k1:abc",
        MessageId = messageId,
        PolicyName = "dental",
        PolicyVersion = "1",
        PolicySha256 = new string('0', 64),
        Event = System.Text.Encoding.UTF8.GetBytes($$"""{"messageId":"{{messageId}}"}"""),
        EnqueuedAt = T0,
        NextAttemptAt = T0,
    };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Enqueue_IgnoresAMessageAlreadyQueued(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        await store.EnqueueAsync([Entry("m1"), Entry("m2")]);
        await store.EnqueueAsync([Entry("m1")]);
        Assert.Equal(2, Assert.Single(await store.PendingAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Claim_TakesTheOldestEntriesOfOneGroup_InOrder_AndHoldsThemForTheLease(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        await store.EnqueueAsync([Entry("a1"), Entry("b1", "meta"), Entry("a2"), Entry("a3")]);
        var claimed = await store.ClaimAsync("w1", T0, 10, TimeSpan.FromMinutes(1));
        Assert.Equal(["a1", "a2", "a3"], claimed.Select(e => e.MessageId));
        var other = await store.ClaimAsync("w2", T0, 10, TimeSpan.FromMinutes(1));
        Assert.Equal(["b1"], other.Select(e => e.MessageId));
        Assert.Empty(await store.ClaimAsync("w3", T0.AddSeconds(30), 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(3, (await store.ClaimAsync("w3", T0.AddMinutes(2), 10, TimeSpan.FromMinutes(1))).Count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ARescheduledHead_HoldsBackItsWholeGroup(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        await store.EnqueueAsync([Entry("a1"), Entry("a2")]);
        var claimed = await store.ClaimAsync("w1", T0, 1, TimeSpan.FromMinutes(1));
        await store.RescheduleAsync([claimed[0].Id], T0.AddMinutes(5), "status-503");
        Assert.Empty(await store.ClaimAsync("w1", T0.AddMinutes(1), 10, TimeSpan.FromMinutes(1)));
        var later = await store.ClaimAsync("w1", T0.AddMinutes(5), 10, TimeSpan.FromMinutes(1));
        Assert.Equal(["a1", "a2"], later.Select(e => e.MessageId));
        Assert.Equal(1, later[0].Attempts);
        Assert.Equal("status-503", later[0].LastError);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CompletedEntries_Leave(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        await store.EnqueueAsync([Entry("a1")]);
        var claimed = await store.ClaimAsync("w1", T0, 10, TimeSpan.FromMinutes(1));
        await store.CompleteAsync([.. claimed.Select(e => e.Id)]);
        Assert.Empty(await store.PendingAsync());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task HeldForADirectForward_NotWaiting_NotClaimable_UntilTheHoldExpires(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        var held = await store.EnqueueAsync([Entry("a1"), Entry("a2")], new OutboxClaim(OutboxClaim.DirectWorker("gw-1"), T0.AddMinutes(1)));
        Assert.Equal(["a1", "a2"], held.Select(e => e.MessageId));
        Assert.All(held, e => Assert.True(e.Id > 0));
        Assert.Empty(await store.EnqueueAsync([Entry("a1")]));

        Assert.Empty(await store.PendingAsync());
        Assert.Empty(await store.ClaimAsync("w1", T0.AddSeconds(30), 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(["a1", "a2"], (await store.ClaimAsync("w1", T0.AddMinutes(2), 10, TimeSpan.FromMinutes(1))).Select(e => e.MessageId));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CompletedWithAReceipt_IsRememberedPerInstance_UntilItsRecordIsDurable(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        var held = await store.EnqueueAsync([Entry("a1"), Entry("b1", "meta")], new OutboxClaim(OutboxClaim.DirectWorker("gw-1"), T0.AddMinutes(1)));
        await store.CompleteAsync([.. held.Select(e => e.Id)], new DeliveryReceipt("gw-1", T0.AddSeconds(1), 200, "direct"));

        Assert.Empty(await store.PendingAsync());
        Assert.Empty(await store.UnrecordedDeliveriesAsync("gw-2"));
        var remembered = await store.UnrecordedDeliveriesAsync("gw-1");
        Assert.Equal([("p1", "scoring", "a1"), ("p1", "meta", "b1")], remembered.Select(d => (d.PracticeId, d.Destination, d.MessageId)));
        Assert.Equal(held.Select(e => e.Id), remembered.Select(d => d.Id));
        Assert.Equal(new DeliveryReceipt("gw-1", T0.AddSeconds(1), 200, "direct"), remembered[0].Receipt);

        await store.DeliveriesRecordedAsync([remembered[0].Id]);
        Assert.Equal(["b1"], (await store.UnrecordedDeliveriesAsync("gw-1")).Select(d => d.MessageId));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DeadLetters_KeepTheEvent_AndReplayQueuesItAgain(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        await store.EnqueueAsync([Entry("a1")]);
        var claimed = await store.ClaimAsync("w1", T0, 10, TimeSpan.FromMinutes(1));
        await store.DeadLetterAsync([claimed[0].Id], "refused-400", T0.AddHours(1));
        Assert.Empty(await store.PendingAsync());
        var letter = Assert.Single(await store.DeadLettersAsync("p1"));
        Assert.Equal("refused-400", letter.Reason);
        Assert.Equal(claimed[0].Event, letter.Entry.Event);
        Assert.False(await store.ReplayDeadLetterAsync("other-practice", letter.Entry.Id, T0));
        Assert.True(await store.ReplayDeadLetterAsync("p1", letter.Entry.Id, T0.AddHours(2)));
        Assert.Empty(await store.DeadLettersAsync("p1"));
        Assert.Equal("a1", Assert.Single(await store.ClaimAsync("w1", T0.AddHours(2), 10, TimeSpan.FromMinutes(1))).MessageId);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DiscardedDeadLetters_AreGoneForGood_AndOnlyForTheirPractice(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        await store.EnqueueAsync([Entry("a1"), Entry("a2")]);
        var claimed = await store.ClaimAsync("w1", T0, 10, TimeSpan.FromMinutes(1));
        await store.DeadLetterAsync([.. claimed.Select(c => c.Id)], "refused-400", T0.AddHours(1));
        var letters = await store.DeadLettersAsync("p1");

        Assert.False(await store.DiscardDeadLetterAsync("other-practice", letters[0].Entry.Id));
        Assert.True(await store.DiscardDeadLetterAsync("p1", letters[0].Entry.Id));
        Assert.False(await store.DiscardDeadLetterAsync("p1", letters[0].Entry.Id));
        Assert.Equal(["a2"], (await store.DeadLettersAsync("p1")).Select(d => d.Entry.MessageId));
        Assert.False(await store.ReplayDeadLetterAsync("p1", letters[0].Entry.Id, T0.AddHours(2)));
        Assert.Empty(await store.ClaimAsync("w1", T0.AddHours(2), 10, TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task UnreadableStore_ThrowsStoreUnavailable(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var store = backend.Outbox();
        await store.EnqueueAsync([Entry("a1")]);
        backend.Break();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PendingAsync());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConcurrentWorkers_NeverClaimTheSameEntry_AndDeliverEachGroupInOrder(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var groups = new[] { ("p1", "scoring"), ("p1", "meta"), ("p2", "scoring"), ("p3", "scoring") };
        await backend.Outbox().EnqueueAsync([.. Enumerable.Range(0, 200).Select(i => Entry($"m{i:D3}", groups[i % 4].Item2, groups[i % 4].Item1))]);

        // Six workers, each with its own store object (as several gateway instances have), drain it together.
        var claimed = new System.Collections.Concurrent.ConcurrentQueue<(string Group, string MessageId)>();
        var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var store = backend.Outbox();
            var idle = 0;
            while (idle < 20)
            {
                var batch = await store.ClaimAsync("w" + w, T0, 7, TimeSpan.FromMinutes(5));
                if (batch.Count == 0)
                {
                    idle++;
                    await Task.Delay(5);
                    continue;
                }

                idle = 0;
                foreach (var entry in batch)
                {
                    claimed.Enqueue((entry.PracticeId + "/" + entry.Destination, entry.MessageId));
                }

                await store.CompleteAsync([.. batch.Select(e => e.Id)]);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(200, claimed.Count);
        Assert.Equal(200, claimed.Select(c => c.MessageId).Distinct().Count());
        foreach (var group in claimed.GroupBy(c => c.Group))
        {
            var ids = group.Select(c => c.MessageId).ToList();
            Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        }

        Assert.Empty(await backend.Outbox().PendingAsync());
    }
}
