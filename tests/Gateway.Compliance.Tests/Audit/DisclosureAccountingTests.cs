using Gateway.Compliance.Audit;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

public class DisclosureAccountingTests(KnownAuditLogFixture log) : IClassFixture<KnownAuditLogFixture>
{
    private static HashSet<string> Maria()
    {
        using var ring = KnownAuditLog.DentalRing();
        return [.. SubjectPseudonyms.Candidates(ring, SubjectIdentifierKind.UserId, KnownAuditLog.MariaUserId)];
    }

    [Fact]
    public void Lists_OnlyDeliveredForwards_AtTheirDeliveryTime_WithTheirBasis()
    {
        var report = DisclosureAccounting.Account(new AuditReader([log.Directory]), KnownAuditLog.Dental, Maria());
        Assert.Equal(3, report.EventRecords);
        Assert.Equal(1, report.EventsNotDisclosed);
        Assert.Collection(report.Disclosures,
            identify =>
            {
                Assert.Equal("identify", identify.EventType);
                Assert.Equal(KnownAuditLog.MariaIdentifyDelivered, identify.Time);
                Assert.Equal("scoring", identify.Destination);
                Assert.Equal(7, identify.Baa);
                Assert.Equal([11L, 12L], identify.Consent);
                Assert.Equal("2026.11.0", identify.PolicyVersion);
                Assert.StartsWith("k1:", identify.MessageId);
            },
            appointment =>
            {
                Assert.Equal("track:Appointment Requested", appointment.EventType);
                Assert.Equal(KnownAuditLog.MariaAppointmentDelivered, appointment.Time);
                Assert.Equal(8, appointment.Baa);
                Assert.Contains("properties.service_line", appointment.Fields.Kept);
                Assert.Contains("userId", appointment.Fields.Pseudonymized);
                Assert.Contains("properties.zip", appointment.Fields.Generalized["zip3"]);
                Assert.Contains("properties.notes", appointment.Fields.RedactedText);
                Assert.Contains("properties.email → email_valid", appointment.Fields.Derived);
                Assert.Contains("properties.email", appointment.Fields.Dropped);
                Assert.Contains("properties.preferred_date", appointment.Fields.Dropped);
                Assert.Equal("outbox", appointment.Attempt);
                Assert.True(appointment.DeliveryRecord.Seq > appointment.EventRecord.Seq + 1);
            });
    }

    [Fact]
    public void Period_AppliesToTheDeliveryTime()
    {
        var report = DisclosureAccounting.Account(new AuditReader([log.Directory]), KnownAuditLog.Dental, Maria(),
            from: KnownAuditLog.Start.AddDays(1), to: KnownAuditLog.Start.AddDays(4));
        Assert.Equal("track:Appointment Requested", Assert.Single(report.Disclosures).EventType);
    }

    [Fact]
    public void AnotherPracticesPatient_WithTheSameUserId_IsNotDisclosedHere()
    {
        var report = DisclosureAccounting.Account(new AuditReader([log.Directory]), KnownAuditLog.Health, Maria());
        Assert.Empty(report.Disclosures);
        Assert.Equal(0, report.EventRecords);
    }
}
