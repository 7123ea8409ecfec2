using Gateway.Compliance.Audit;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

public class AuditQueryTests(KnownAuditLogFixture log) : IClassFixture<KnownAuditLogFixture>
{
    private List<AuditRecord> Read(AuditQuery? query = null) => [.. new AuditReader([log.Directory]).Read(query)];

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.Ordinal);

    [Fact]
    public void Reader_StreamsEveryRecord_InChainOrder_WithItsLocation()
    {
        var records = Read();
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Seq));
        // The gateway starts a new file every UTC day; lines count from 1 in each.
        Assert.Equal(4, records.Select(r => r.File).Distinct().Count());
        Assert.All(records.GroupBy(r => r.File), file => Assert.Equal(Enumerable.Range(1, file.Count()).Select(i => (long)i), file.Select(r => r.Line)));
        Assert.Equal(AuditFileNames.For(KnownAuditLog.Instance, 1), records[0].File);
        Assert.Equal("system", records[0].Kind);
        Assert.Equal("auth-failure", records[^1].Kind);
        Assert.True(new AuditChainVerifier().Verify(log.Directory).IsValid);
    }

    [Fact]
    public void Subject_FoundWithEveryKeyOfTheRing_AcrossTheRotation_AndOnlyInItsPractice()
    {
        using var ring = KnownAuditLog.DentalRing();
        var subjects = SubjectPseudonyms.Candidates(ring, SubjectIdentifierKind.UserId, KnownAuditLog.MariaUserId).ToHashSet();
        var records = Read(new AuditQuery { Subjects = subjects, Practices = Set(KnownAuditLog.Dental) });
        Assert.Equal(["identify", "track:Pricing Page Viewed", "track:Appointment Requested"], records.Select(r => r.Event!.EventType));
        Assert.StartsWith("k1:", records[0].Event!.Subject);
        Assert.StartsWith("k2:", records[2].Event!.Subject);

        // Without the practice filter the healthcare patient with the same user id is still not found: other keys.
        Assert.Equal(3, Read(new AuditQuery { Subjects = subjects }).Count);
    }

    [Fact]
    public void Email_FindsEventsWhereTheEmailIsTheUserId_InAnySpelling()
    {
        using var ring = KnownAuditLog.DentalRing();
        var asTyped = SubjectPseudonyms.Candidates(ring, SubjectIdentifierKind.Email, KnownAuditLog.MariaUserId).ToHashSet();
        Assert.Equal(3, Read(new AuditQuery { Subjects = asTyped }).Count);

        // The normalized (lower-case) form is another pseudonym: it finds her only if the SDK sent it that way.
        var lower = SubjectPseudonyms.Candidates(ring, SubjectIdentifierKind.Email, "  maria.gonzalez@EXAMPLE.org ").ToHashSet();
        Assert.Empty(Read(new AuditQuery { Subjects = lower }));
    }

    [Theory]
    [InlineData("outcome", "dropped", 1)]
    [InlineData("outcome", "rejected", 1)]
    [InlineData("outcome", "forward", 4)]
    [InlineData("outcome", "delivered", 4)]
    [InlineData("outcome", "failed", 1)]
    [InlineData("event-type", "identify", 2)]
    [InlineData("practice", KnownAuditLog.Health, 2)]
    [InlineData("policy-version", "2026.11.0", 6)]
    [InlineData("kind", "auth-failure", 1)]
    public void Filters_SelectTheKnownRecords(string filter, string value, int expected)
    {
        var set = Set(value);
        var query = filter switch
        {
            "outcome" => new AuditQuery { Outcomes = set },
            "event-type" => new AuditQuery { EventTypes = set },
            "practice" => new AuditQuery { Practices = set },
            "policy-version" => new AuditQuery { PolicyVersions = set },
            _ => new AuditQuery { Kinds = set },
        };
        Assert.Equal(expected, Read(query).Count);
    }

    [Fact]
    public void TimeRange_IsFromInclusive_ToExclusive()
    {
        var day3 = KnownAuditLog.Start.AddDays(2);
        var records = Read(new AuditQuery { From = day3, To = day3.AddDays(1) });
        Assert.Equal(5, records.Count);
        Assert.All(records, r => Assert.InRange(r.Time, day3, day3.AddDays(1).AddTicks(-1)));
    }
}
