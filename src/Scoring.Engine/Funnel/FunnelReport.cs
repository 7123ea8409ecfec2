namespace Scoring.Engine.Funnel;

/// <summary>
/// How funnel rows are split: not at all, by the first-touch UTM campaign, source or medium, or by the lead's service
/// line, practice location or lead type.
/// </summary>
public enum FunnelGrouping
{
    None,
    Campaign,
    Source,
    Medium,
    ServiceLine,
    Location,
    LeadType,

    /// <summary>Location and lead type together (<c>back-bay/reactivation-hygiene</c>): reactivations by location and recall type.</summary>
    LocationLeadType,
}

/// <summary>How funnel rows are split by the lead's creation time (UTC calendar; weeks start on Monday).</summary>
public enum FunnelPeriod
{
    None,
    Day,
    Week,
    Month,
}

/// <summary>
/// Funnel counts for leads created in [<see cref="From"/>, <see cref="To"/>): a total and one row per period and
/// channel. A lead counts at every stage up to the furthest it reached, so counts never grow down the funnel.
/// </summary>
public sealed record FunnelReport(
    DateTimeOffset From,
    DateTimeOffset To,
    FunnelGrouping GroupBy,
    FunnelPeriod Period,
    FunnelRow Total,
    IReadOnlyList<FunnelRow> Rows);

/// <summary>
/// One funnel row. Rates are fractions (0 to 1), null when their denominator is 0. Times run from the lead's
/// creation to its first entry into the stage; <see cref="MqlToSqlTime"/> from the first MQL to the first SQL.
/// <see cref="Channel"/> is the group's value (campaign, service line, location...).
/// </summary>
public sealed record FunnelRow(
    string? Period,
    string? Channel,
    int Leads,
    int Mqls,
    int Sqls,
    int Conversions,
    int Disqualified,
    double? LeadToMql,
    double? MqlToSql,
    double? SqlToConversion,
    double? LeadToConversion,
    DurationStats TimeToMql,
    DurationStats TimeToSql,
    DurationStats MqlToSqlTime,
    DurationStats TimeToConversion);

/// <summary>How many leads a time covers, and its median and mean in hours.</summary>
public sealed record DurationStats(int Count, double? MedianHours, double? MeanHours);
