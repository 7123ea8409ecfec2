using Gateway.Compliance.Consent;

namespace Gateway.Storage.Tests;

public class ConsentLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static ConsentRecord Record(string subject, string purpose, ConsentDecision decision, int minutes = 0, DateTimeOffset? expires = null) => new()
    {
        PracticeId = "p1",
        Subject = subject,
        Purpose = purpose,
        Decision = decision,
        Source = ConsentSources.Api,
        SourceReference = "form:intake",
        DisclosureSha256 = new string('a', 64),
        RecordedAt = T0.AddMinutes(minutes),
        ExpiresAt = expires,
        RecordedBy = "ops",
    };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Append_AssignsIncreasingIds_AndKeepsEveryMember(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.ConsentLedger();
        var stored = await ledger.AppendAsync([Record("s1", "sms", ConsentDecision.Granted, expires: T0.AddDays(365)), Record("s1", "analytics", ConsentDecision.Granted)]);
        Assert.True(stored[1].Id > stored[0].Id);
        var history = await ledger.HistoryAsync("p1", ["s1"]);
        Assert.Equal(stored, history);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Current_IsTheLatestRecordPerSubjectAndPurpose(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.ConsentLedger();
        await ledger.AppendAsync([Record("s1", "sms", ConsentDecision.Granted, 0)]);
        await ledger.AppendAsync([Record("s1", "sms", ConsentDecision.Revoked, 5)]);
        await ledger.AppendAsync([Record("s1", "analytics", ConsentDecision.Granted, 6)]);
        await ledger.AppendAsync([Record("s2", "sms", ConsentDecision.Granted, 7)]);
        await ledger.AppendAsync([Record("other", "sms", ConsentDecision.Granted, 8) with { PracticeId = "p2" }]);

        var current = await ledger.CurrentAsync("p1", ["s1", "s2", "other"]);
        Assert.Equal(3, current.Count);
        Assert.Equal(ConsentDecision.Revoked, current.Single(r => r.Subject == "s1" && r.Purpose == "sms").Decision);
        Assert.DoesNotContain(current, r => r.PracticeId == "p2");
        Assert.Equal(4, (await ledger.HistoryAsync("p1", ["s1", "s2"])).Count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task History_CannotBeRewritten(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.ConsentLedger();
        await ledger.AppendAsync([Record("s1", "sms", ConsentDecision.Revoked)]);
        Assert.ThrowsAny<Exception>(() => backend.Execute("UPDATE consent_records SET decision = 'granted'"));
        Assert.ThrowsAny<Exception>(() => backend.Execute("DELETE FROM consent_records"));
        Assert.Equal(ConsentDecision.Revoked, Assert.Single(await ledger.HistoryAsync("p1", ["s1"])).Decision);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConcurrentAppends_AllLand(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.ConsentLedger();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ledger.AppendAsync([Record("s" + (i % 4), "analytics", i % 2 == 0 ? ConsentDecision.Granted : ConsentDecision.Revoked, i)])));
        Assert.Equal(40, (await ledger.HistoryAsync("p1", ["s0", "s1", "s2", "s3"])).Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task UnreadableStore_ThrowsStoreUnavailable(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = backend.ConsentLedger();
        await ledger.AppendAsync([Record("s1", "sms", ConsentDecision.Granted)]);
        backend.Break();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => ledger.CurrentAsync("p1", ["s1"]));
    }

    [Fact]
    public void State_UsesTheLatestRecord_AndExpiry()
    {
        var grant = Record("s1", "sms", ConsentDecision.Granted, expires: T0.AddHours(1)) with { Id = 1 };
        var state = new ConsentState([grant]);
        Assert.Empty(state.Check(["sms"], T0.AddMinutes(59)).Missing);
        Assert.Equal(["sms"], state.Check(["sms"], T0.AddHours(1)).Missing);
        state.Apply(Record("s1", "sms", ConsentDecision.Revoked) with { Id = 2 });
        var (missing, basis) = state.Check(["sms", "analytics"], T0);
        Assert.Equal(["sms", "analytics"], missing);
        Assert.Equal([2L], basis);
    }
}
