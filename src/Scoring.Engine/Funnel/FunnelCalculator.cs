using System.Globalization;
using Scoring.Engine.Stages;

namespace Scoring.Engine.Funnel;

/// <summary>Computes Lead → MQL → SQL → conversion counts, rates and times from lead summaries.</summary>
public static class FunnelCalculator
{
    /// <summary>The group value of leads without one (no such UTM field, no service line, location or type).</summary>
    public const string NoChannel = "(none)";

    public static FunnelReport Compute(
        IEnumerable<FunnelLead> leads, DateTimeOffset from, DateTimeOffset to, FunnelGrouping groupBy, FunnelPeriod period)
    {
        var cohort = leads.Where(l => l.CreatedAt >= from && l.CreatedAt < to).ToList();
        var rows = cohort
            .GroupBy(l => (Period: PeriodOf(l.CreatedAt, period), Channel: ChannelOf(l, groupBy)))
            .OrderBy(g => g.Key.Period, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Channel, StringComparer.Ordinal)
            .Select(g => Row(g.Key.Period, g.Key.Channel, [.. g]))
            .ToList();
        return new FunnelReport(from, to, groupBy, period, Row(null, null, cohort), rows);
    }

    private static FunnelRow Row(string? period, string? channel, List<FunnelLead> leads)
    {
        var mqls = leads.Count(l => l.FirstMqlAt is not null || l.FirstSqlAt is not null || l.FirstConvertedAt is not null);
        var sqls = leads.Count(l => l.FirstSqlAt is not null || l.FirstConvertedAt is not null);
        var conversions = leads.Count(l => l.FirstConvertedAt is not null);
        return new FunnelRow(
            period,
            channel,
            leads.Count,
            mqls,
            sqls,
            conversions,
            leads.Count(l => l.Stage == LeadStage.Disqualified),
            Rate(mqls, leads.Count),
            Rate(sqls, mqls),
            Rate(conversions, sqls),
            Rate(conversions, leads.Count),
            Stats(leads.Where(l => l.FirstMqlAt is not null).Select(l => l.FirstMqlAt!.Value - l.CreatedAt)),
            Stats(leads.Where(l => l.FirstSqlAt is not null).Select(l => l.FirstSqlAt!.Value - l.CreatedAt)),
            Stats(leads.Where(l => l.FirstMqlAt is not null && l.FirstSqlAt >= l.FirstMqlAt).Select(l => l.FirstSqlAt!.Value - l.FirstMqlAt!.Value)),
            Stats(leads.Where(l => l.FirstConvertedAt is not null).Select(l => l.FirstConvertedAt!.Value - l.CreatedAt)));
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;

    private static DurationStats Stats(IEnumerable<TimeSpan> spans)
    {
        var hours = spans.Select(s => s.TotalHours).Order().ToList();
        if (hours.Count == 0)
        {
            return new DurationStats(0, null, null);
        }

        var middle = hours.Count / 2;
        var median = hours.Count % 2 == 1 ? hours[middle] : (hours[middle - 1] + hours[middle]) / 2;
        return new DurationStats(hours.Count, median, hours.Average());
    }

    private static string? ChannelOf(FunnelLead lead, FunnelGrouping groupBy) => groupBy switch
    {
        FunnelGrouping.Campaign => lead.Campaign ?? NoChannel,
        FunnelGrouping.Source => lead.Source ?? NoChannel,
        FunnelGrouping.Medium => lead.Medium ?? NoChannel,
        FunnelGrouping.ServiceLine => lead.ServiceLine ?? NoChannel,
        FunnelGrouping.Location => lead.Location ?? NoChannel,
        FunnelGrouping.LeadType => lead.LeadType ?? NoChannel,
        FunnelGrouping.LocationLeadType => $"{lead.Location ?? NoChannel}/{lead.LeadType ?? NoChannel}",
        _ => null,
    };

    internal static string? PeriodOf(DateTimeOffset at, FunnelPeriod period)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return period switch
        {
            FunnelPeriod.Day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            FunnelPeriod.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            FunnelPeriod.Month => day.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
