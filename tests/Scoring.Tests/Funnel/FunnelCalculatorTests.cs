using Scoring.Engine.Funnel;
using Scoring.Engine.Stages;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Funnel;

public class FunnelCalculatorTests
{
    private static readonly FunnelLead[] s_leads =
    [
        // google/cpc: 3 leads, 2 MQL (after 2h and 6h), 1 SQL (after 30h), 1 appointment.
        new("dental", T0, "spring", "google", "cpc", T0.AddHours(2), T0.AddHours(30), T0.AddHours(50), LeadStage.Appointment),
        new("dental", T0.AddDays(1), "spring", "google", "cpc", T0.AddDays(1).AddHours(6), null, null, LeadStage.Recycled),
        new("dental", T0.AddDays(2), "spring", "google", "cpc", null, null, null, LeadStage.Disqualified),

        // No UTM: 1 lead that skipped MQL (a person confirmed it): counts as reached MQL, no time-to-MQL.
        new("dental", T0.AddDays(8), null, null, null, null, T0.AddDays(8).AddHours(10), null, LeadStage.Sql),

        // Outside the period.
        new("dental", T0.AddDays(40), "spring", "google", "cpc", T0.AddDays(40), null, null, LeadStage.Mql),
    ];

    [Fact]
    public void Total_CountsEachStageReached_WithRatesAndTimes()
    {
        var report = FunnelCalculator.Compute(s_leads, T0, T0.AddDays(30), FunnelGrouping.None, FunnelPeriod.None);
        var total = report.Total;

        // 4 leads in the period; reached MQL: 3 (2 + the one that skipped it); SQL: 2; appointment: 1.
        Assert.Equal((4, 3, 2, 1, 1), (total.Leads, total.Mqls, total.Sqls, total.Conversions, total.Disqualified));
        Assert.Equal((0.75, 2 / 3d, 0.5, 0.25), (total.LeadToMql!.Value, total.MqlToSql!.Value, total.SqlToConversion!.Value, total.LeadToConversion!.Value));

        // Time to MQL: 2h and 6h → median 4, mean 4. Time to SQL: 30h and 10h → median 20, mean 20.
        Assert.Equal(new DurationStats(2, 4, 4), total.TimeToMql);
        Assert.Equal(new DurationStats(2, 20, 20), total.TimeToSql);
    }

    [Fact]
    public void Rows_SplitBySourceAndWeek()
    {
        var report = FunnelCalculator.Compute(s_leads, T0, T0.AddDays(30), FunnelGrouping.Source, FunnelPeriod.Week);

        // T0 is Monday 2026-01-05; the lead of day 8 falls in the week of 2026-01-12.
        Assert.Equal(
            new[] { ("2026-01-05", "google", 3, 2), ("2026-01-12", "(none)", 1, 1) },
            report.Rows.Select(r => (r.Period!, r.Channel!, r.Leads, r.Mqls)));
    }

    [Fact]
    public void Rates_AreNull_WhenNothingToDivideBy()
    {
        var report = FunnelCalculator.Compute([], T0, T0.AddDays(1), FunnelGrouping.Campaign, FunnelPeriod.Month);

        Assert.Equal((0, null, null), (report.Total.Leads, report.Total.LeadToMql, report.Total.TimeToMql.MedianHours));
        Assert.Empty(report.Rows);
    }

    [Fact]
    public void Reactivations_SplitByLocationAndRecallType()
    {
        FunnelLead Lead(string? location, string? type, bool converted) =>
            new("dental", T0, null, null, null, T0.AddHours(1), null, converted ? T0.AddDays(2) : null, converted ? LeadStage.Appointment : LeadStage.Mql, "hygiene", location, type);
        var leads = new[]
        {
            Lead("back-bay", "reactivation-hygiene", true), Lead("back-bay", "reactivation-hygiene", false),
            Lead("back-bay", "reactivation-perio", true), Lead("loop", "reactivation-hygiene", true), Lead(null, "patient", false),
        };

        var report = FunnelCalculator.Compute(leads, T0, T0.AddDays(30), FunnelGrouping.LocationLeadType, FunnelPeriod.None);

        Assert.Equal(
            new[] { ("(none)/patient", 1, 0), ("back-bay/reactivation-hygiene", 2, 1), ("back-bay/reactivation-perio", 1, 1), ("loop/reactivation-hygiene", 1, 1) },
            report.Rows.Select(r => (r.Channel!, r.Leads, r.Conversions)));
    }
}
