using Gateway.Compliance.Consent;
using Gateway.Storage.Consent;

namespace Gateway.Storage.Tests;

/// <summary>
/// The consent change feed and the cache that reads it, on both backends. "Another instance" is a second ledger object
/// on the same database: on PostgreSQL that is what a second gateway instance is; on SQLite it proves the cache does
/// not rely on appends passing through itself.
/// </summary>
public class CachedConsentLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static ConsentRecord Record(string subject, ConsentDecision decision, string practice = "p1", string purpose = "sms") => new()
    {
        PracticeId = practice,
        Subject = subject,
        Purpose = purpose,
        Decision = decision,
        Source = ConsentSources.Api,
        RecordedAt = T0,
        RecordedBy = "ops",
    };

    private static RelationalConsentLedger Ledger(StoreBackend backend) => (RelationalConsentLedger)backend.ConsentLedger();

    private static void AssertChanges(ConsentChanges changes, long version, params string[] subjects)
    {
        Assert.Equal(version, changes.Version);
        Assert.Equal(subjects, changes.Subjects.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task EveryAppend_BumpsItsPracticesVersion_AndTheFeedNamesTheSubjectsItChanged(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = Ledger(backend);
        AssertChanges(await ledger.ChangesAsync("p1", null), 0);

        await ledger.AppendAsync([Record("s1", ConsentDecision.Granted)]);
        await ledger.AppendAsync([Record("s2", ConsentDecision.Granted), Record("s3", ConsentDecision.Revoked), Record("x1", ConsentDecision.Granted, practice: "p2")]);

        AssertChanges(await ledger.ChangesAsync("p1", 0), 2, "s1", "s2", "s3");
        AssertChanges(await ledger.ChangesAsync("p1", 1), 2, "s2", "s3");
        AssertChanges(await ledger.ChangesAsync("p1", 2), 2);
        AssertChanges(await ledger.ChangesAsync("p1", null), 2);
        AssertChanges(await ledger.ChangesAsync("p2", 0), 1, "x1");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AnAppendThatFails_LeavesTheVersionWhereItWas(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = Ledger(backend);
        await ledger.AppendAsync([Record("s1", ConsentDecision.Granted)]);

        // The second record breaks a NOT NULL constraint after the version was bumped in the same transaction.
        await Assert.ThrowsAnyAsync<Exception>(() => ledger.AppendAsync([Record("s2", ConsentDecision.Granted), Record("s3", ConsentDecision.Granted) with { Source = null! }]));

        AssertChanges(await ledger.ChangesAsync("p1", 0), 1, "s1");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ARevocationThroughAnotherInstance_AppliesToTheNextRead_AndOnlyItsSubjectLeavesTheCache(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var cached = new CachedConsentLedger(Ledger(backend));
        var otherInstance = Ledger(backend);
        await otherInstance.AppendAsync([Record("s1", ConsentDecision.Granted), Record("s2", ConsentDecision.Granted)]);

        Assert.All(await cached.CurrentAsync("p1", ["s1", "s2"]), r => Assert.Equal(ConsentDecision.Granted, r.Decision));
        Assert.Equal((0, 2), (cached.Hits, cached.Misses));
        Assert.Equal(2, (await cached.CurrentAsync("p1", ["s1", "s2"])).Count);
        Assert.Equal((2, 2), (cached.Hits, cached.Misses));

        await otherInstance.AppendAsync([Record("s1", ConsentDecision.Revoked)]);

        var current = await cached.CurrentAsync("p1", ["s1", "s2"]);
        Assert.Equal(ConsentDecision.Revoked, current.Single(r => r.Subject == "s1").Decision);
        Assert.Equal(ConsentDecision.Granted, current.Single(r => r.Subject == "s2").Decision);
        Assert.Equal((3, 3), (cached.Hits, cached.Misses));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ASubjectWithoutRecords_IsCached_UntilItsFirstGrant(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var cached = new CachedConsentLedger(Ledger(backend));

        Assert.Empty(await cached.CurrentAsync("p1", ["s9"]));
        Assert.Empty(await cached.CurrentAsync("p1", ["s9"]));
        Assert.Equal((1, 1), (cached.Hits, cached.Misses));

        await Ledger(backend).AppendAsync([Record("s9", ConsentDecision.Granted)]);

        Assert.Equal(ConsentDecision.Granted, Assert.Single(await cached.CurrentAsync("p1", ["s9"])).Decision);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TheCache_AnswersAsTheLedgerDoes_ForEveryPractice(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var ledger = Ledger(backend);
        var cached = new CachedConsentLedger(ledger);
        await ledger.AppendAsync([
            Record("s1", ConsentDecision.Granted), Record("s1", ConsentDecision.Revoked, purpose: "analytics"),
            Record("s2", ConsentDecision.Granted), Record("s1", ConsentDecision.Revoked, practice: "p2")]);
        string[] subjects = ["s1", "s2", "s3"];

        foreach (var round in Enumerable.Range(0, 2))
        {
            Assert.Equal(await ledger.CurrentAsync("p1", subjects), await cached.CurrentAsync("p1", subjects));
            Assert.Equal(await ledger.CurrentAsync("p2", subjects), await cached.CurrentAsync("p2", subjects));
        }

        Assert.Equal(6, cached.Hits);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CachedSubjects_StillFailClosed_WhenTheStoreCannotBeRead(string backendName)
    {
        using var backend = Backends.Create(backendName);
        var cached = new CachedConsentLedger(Ledger(backend));
        await cached.AppendAsync([Record("s1", ConsentDecision.Granted)]);
        Assert.Single(await cached.CurrentAsync("p1", ["s1"]));

        backend.Break();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => cached.CurrentAsync("p1", ["s1"]));
    }

    [Fact]
    public async Task TheCache_HoldsAtMostItsCapacity_AndZeroReadsEverySubjectFromTheLedger()
    {
        using var backend = new SqliteBackend();
        var bounded = new CachedConsentLedger(Ledger(backend), capacity: 3);
        await bounded.CurrentAsync("p1", ["a", "b"]);
        await bounded.CurrentAsync("p2", ["c"]);
        Assert.Equal(3, bounded.Count);

        await bounded.CurrentAsync("p1", ["d"]);
        Assert.True(bounded.Count <= 3);
        Assert.Empty(await bounded.CurrentAsync("p1", ["d"]));

        var none = new CachedConsentLedger(Ledger(backend), capacity: 0);
        await none.CurrentAsync("p1", ["a"]);
        await none.CurrentAsync("p1", ["a"]);
        Assert.Equal((0, 2, 0), (none.Hits, none.Misses, none.Count));
    }

    [Fact]
    public async Task RecordsWrittenBeforeTheFeed_AreStillCurrent_AfterTheUpgrade()
    {
        using var backend = new SqliteBackend();
        // What the first migration created, with one record in it; the second migration adds the feed.
        backend.Execute("""
            CREATE TABLE schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version));
            CREATE TABLE consent_records (
                id INTEGER PRIMARY KEY AUTOINCREMENT, practice_id TEXT NOT NULL, subject TEXT NOT NULL, purpose TEXT NOT NULL,
                decision TEXT NOT NULL CHECK (decision IN ('granted', 'revoked')), source TEXT NOT NULL, source_ref TEXT NULL,
                disclosure_sha256 TEXT NULL, recorded_at INTEGER NOT NULL, expires_at INTEGER NULL, recorded_by TEXT NULL);
            CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
            INSERT INTO schema_migrations VALUES ('consent', 1, '2026-11-01');
            INSERT INTO consent_records (practice_id, subject, purpose, decision, source, recorded_at) VALUES ('p1', 's1', 'sms', 'revoked', 'api', 0);
            """);

        var cached = new CachedConsentLedger(Ledger(backend));

        Assert.Equal(ConsentDecision.Revoked, Assert.Single(await cached.CurrentAsync("p1", ["s1"])).Decision);
        await cached.AppendAsync([Record("s1", ConsentDecision.Granted)]);
        Assert.Equal(ConsentDecision.Granted, Assert.Single(await cached.CurrentAsync("p1", ["s1"])).Decision);
    }
}
