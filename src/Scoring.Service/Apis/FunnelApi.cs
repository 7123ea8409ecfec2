using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Engine.Funnel;
using Scoring.Service.Hosting;
using Scoring.Service.Leads;
using Scoring.Service.Security;
using Scoring.Service.Storage;

namespace Scoring.Service.Apis;

/// <summary>
/// <c>GET /api/funnel</c>: Lead → MQL → SQL → conversion counts, rates and times for leads created in
/// [from, to) (default: the last 90 days), by vertical and practice, optionally split by first-touch UTM
/// campaign, source or medium, or by service line, location or lead type, and by day, week or month.
/// </summary>
internal static class FunnelApi
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(90);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(3 * 366);

    public static IEndpointRouteBuilder MapFunnelApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/funnel", FunnelAsync).AddEndpointFilter<ApiKeyFilter>().WithName("Funnel");
        return app;
    }

    private static async Task<Results<Ok<FunnelResponse>, ValidationProblem>> FunnelAsync(
        string? vertical, string? practice, string? from, string? to, string? groupBy, string? period,
        LeadService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var end = Time(to, "to", errors) ?? time.Now();
        var start = Time(from, "from", errors) ?? end - DefaultRange;
        if (errors.Count == 0 && (start >= end || end - start > MaxRange))
        {
            errors["from"] = ["must be before 'to', at most about three years earlier"];
        }

        var grouping = Parse(groupBy, FunnelGrouping.None, "groupBy", "none, campaign, source, medium, serviceLine, location, leadType or locationLeadType", errors);
        var periods = Parse(period, FunnelPeriod.None, "period", "none, day, week or month", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var report = await service.FunnelAsync(new FunnelQuery(vertical, practice, start, end), grouping, periods, cancellationToken);
        return TypedResults.Ok(FunnelResponse.Of(report, vertical, practice));
    }

    private static DateTimeOffset? Time(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        errors[name] = ["must be an ISO 8601 date or date and time"];
        return null;
    }

    private static T Parse<T>(string? text, T fallback, string name, string allowed, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _))
        {
            return value;
        }

        errors[name] = [$"must be {allowed}"];
        return fallback;
    }
}

/// <summary>The funnel report on the wire: rates as fractions rounded to 4 decimals, hours to 2.</summary>
internal sealed record FunnelResponse(
    string? Vertical, string? Practice, DateTimeOffset From, DateTimeOffset To, FunnelGrouping GroupBy, FunnelPeriod Period, FunnelRow Total, IReadOnlyList<FunnelRow> Rows)
{
    public static FunnelResponse Of(FunnelReport report, string? vertical, string? practice) =>
        new(vertical, practice, report.From, report.To, report.GroupBy, report.Period, Round(report.Total), [.. report.Rows.Select(Round)]);

    private static FunnelRow Round(FunnelRow row) => row with
    {
        LeadToMql = Rate(row.LeadToMql),
        MqlToSql = Rate(row.MqlToSql),
        SqlToConversion = Rate(row.SqlToConversion),
        LeadToConversion = Rate(row.LeadToConversion),
        TimeToMql = Hours(row.TimeToMql),
        TimeToSql = Hours(row.TimeToSql),
        MqlToSqlTime = Hours(row.MqlToSqlTime),
        TimeToConversion = Hours(row.TimeToConversion),
    };

    private static double? Rate(double? rate) => rate is { } r ? Math.Round(r, 4, MidpointRounding.AwayFromZero) : null;

    private static DurationStats Hours(DurationStats stats) => stats with
    {
        MedianHours = stats.MedianHours is { } m ? Math.Round(m, 2, MidpointRounding.AwayFromZero) : null,
        MeanHours = stats.MeanHours is { } a ? Math.Round(a, 2, MidpointRounding.AwayFromZero) : null,
    };
}
