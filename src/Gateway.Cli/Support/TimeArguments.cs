using System.Globalization;

namespace Gateway.Cli.Support;

/// <summary>
/// Parses <c>--from</c>/<c>--to</c>: a date (<c>2026-11-01</c>, UTC midnight) or a time
/// (<c>2026-11-01T08:00:00Z</c>; no offset means UTC). <c>--from</c> is inclusive; <c>--to</c> is
/// exclusive, but a date alone includes that whole day.
/// </summary>
internal static class TimeArguments
{
    public static DateTimeOffset? From(string? text) => Parse(text, "--from", endOfDay: false);

    public static DateTimeOffset? To(string? text) => Parse(text, "--to", endOfDay: true);

    private static DateTimeOffset? Parse(string? text, string option, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? midnight.AddDays(1) : midnight;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw new UsageException($"{option} must be a date (2026-11-01) or an ISO 8601 time (2026-11-01T08:00:00Z).");
    }
}
