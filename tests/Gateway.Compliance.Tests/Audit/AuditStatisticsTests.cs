using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

public class AuditStatisticsTests(KnownAuditLogFixture log) : IClassFixture<KnownAuditLogFixture>
{
    [Fact]
    public void Counts_Outcomes_Reasons_Actions_Detectors_AndDeliveries()
    {
        var statistics = AuditStatistics.Compute(new AuditReader([log.Directory]).Read());
        Assert.Equal(13, statistics.Records);
        Assert.Equal(6, statistics.Group("kind")["event"]);
        Assert.Equal(4, statistics.Group("outcome")["forward"]);
        Assert.Equal(1, statistics.Group("reason")["dropped: consent-missing"]);
        Assert.Equal(1, statistics.Group("reason")["rejected: schema-invalid"]);
        Assert.Equal(1, statistics.Group("reason")["delivery failed: status-503"]);
        Assert.Equal(1, statistics.Group("destination-decision")["scoring: dropped (consent-missing)"]);
        Assert.Equal(4, statistics.Group("delivery")["scoring: delivered (attempts)"]);
        Assert.Equal(5, statistics.Group("delivery")["scoring: delivered (events)"]);
        Assert.Equal(2, statistics.Group("practice")[KnownAuditLog.Health] + statistics.Group("practice")[KnownAuditLog.Dental] - 4);
        Assert.True(statistics.Group("action")["drop"] > statistics.Group("action")["hmac"]);
        Assert.Equal(1, statistics.Group("field")["generalize:zip3 properties.zip"]);
        Assert.Contains("dental 2026.11.0", statistics.Group("policy").Keys);
        Assert.NotEmpty(statistics.Group("detector"));
    }

    [Fact]
    public void Period_LimitsTheCounts()
    {
        var statistics = AuditStatistics.Compute(new AuditReader([log.Directory]).Read(new AuditQuery { From = KnownAuditLog.Start.AddDays(3) }));
        Assert.Equal(1, statistics.Records);
        Assert.Equal(1, statistics.Group("kind")["auth-failure"]);
        Assert.Empty(statistics.Group("outcome"));
    }
}
