using System.Globalization;

namespace Scoring.Engine.Routing;

/// <summary>
/// When a queue's people work: a time zone, opening hours per weekday and holidays. SLAs in minutes and hours count
/// only open time; business days are days with opening hours that are not holidays. Built once from a location, a
/// practice or a vertical's defaults.
/// </summary>
public sealed class OfficeCalendar
{
    /// <summary>The default when nothing is configured: Monday to Friday, 09:00 to 17:00.</summary>
    public static readonly IReadOnlyDictionary<DayOfWeek, OpeningHours> WeekdaysNineToFive = new Dictionary<DayOfWeek, OpeningHours>
    {
        [DayOfWeek.Monday] = new(TimeSpan.FromHours(9), TimeSpan.FromHours(17)),
        [DayOfWeek.Tuesday] = new(TimeSpan.FromHours(9), TimeSpan.FromHours(17)),
        [DayOfWeek.Wednesday] = new(TimeSpan.FromHours(9), TimeSpan.FromHours(17)),
        [DayOfWeek.Thursday] = new(TimeSpan.FromHours(9), TimeSpan.FromHours(17)),
        [DayOfWeek.Friday] = new(TimeSpan.FromHours(9), TimeSpan.FromHours(17)),
    };

    /// <summary>How far ahead a due time is searched for (a calendar with almost no open days still ends).</summary>
    private const int MaxDays = 3 * 366;

    private static readonly string[] s_dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public OfficeCalendar(TimeZoneInfo timeZone, IReadOnlyDictionary<DayOfWeek, OpeningHours> hours, IReadOnlySet<DateOnly> holidays)
    {
        TimeZone = timeZone;
        Hours = hours;
        Holidays = holidays;
    }

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlyDictionary<DayOfWeek, OpeningHours> Hours { get; }

    public IReadOnlySet<DateOnly> Holidays { get; }

    /// <summary>Open every day, round the clock, no holidays: queues that always answer (an on-call line).</summary>
    public static OfficeCalendar AlwaysOpen(TimeZoneInfo timeZone) => new(
        timeZone,
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => new OpeningHours(TimeSpan.Zero, TimeSpan.FromHours(24))),
        new HashSet<DateOnly>());

    public bool IsBusinessDay(DateOnly day) => Hours.ContainsKey(day.DayOfWeek) && !Holidays.Contains(day);

    /// <summary>When the office is open on <paramref name="day"/> (local date), as instants; null on a closed day.</summary>
    public (DateTimeOffset Open, DateTimeOffset Close)? OpeningOn(DateOnly day) =>
        IsBusinessDay(day) && Hours[day.DayOfWeek] is var hours
            ? (ToInstant(day, hours.Open), ToInstant(day, hours.Close))
            : null;

    /// <summary><paramref name="amount"/> of open time after <paramref name="start"/> (counted from the next opening when closed).</summary>
    public DateTimeOffset AddOpenTime(DateTimeOffset start, TimeSpan amount)
    {
        var cursor = start;
        var day = LocalDate(start);
        for (var i = 0; i < MaxDays; i++, day = day.AddDays(1))
        {
            if (OpeningOn(day) is not var (open, close) || cursor >= close)
            {
                continue;
            }

            if (cursor < open)
            {
                cursor = open;
            }

            var left = close - cursor;
            if (amount <= left)
            {
                return cursor + amount;
            }

            amount -= left;
        }

        throw new InvalidOperationException("The office calendar has no open time in the next three years.");
    }

    /// <summary>
    /// <paramref name="days"/> business days after <paramref name="start"/>, at the same local time of day (counted from
    /// the next opening when closed; no later than that day's closing time).
    /// </summary>
    public DateTimeOffset AddBusinessDays(DateTimeOffset start, int days)
    {
        var from = AddOpenTime(start, TimeSpan.Zero);
        var timeOfDay = TimeZoneInfo.ConvertTime(from, TimeZone).TimeOfDay;
        var day = LocalDate(from);
        for (int i = 0, counted = 0; i < MaxDays; i++)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day) && ++counted == days)
            {
                var hours = Hours[day.DayOfWeek];
                return ToInstant(day, timeOfDay < hours.Open ? hours.Open : timeOfDay > hours.Close ? hours.Close : timeOfDay);
            }
        }

        throw new InvalidOperationException("The office calendar has no business days in the next three years.");
    }

    /// <summary>Parses opening hours written as <c>{ mon-fri: "08:00-17:00", sat: "09:00-13:00", sun: closed }</c>.</summary>
    public static bool TryParseHours(IEnumerable<(string Days, string Range)> entries, out Dictionary<DayOfWeek, OpeningHours> hours, out string? error)
    {
        hours = [];
        error = null;
        var seen = new HashSet<DayOfWeek>();
        foreach (var (daysText, range) in entries)
        {
            if (!TryParseDays(daysText, out var days))
            {
                error = $"'{daysText}' is not a day or range of days (mon, tue, wed, thu, fri, sat, sun; e.g. mon-fri)";
                return false;
            }

            OpeningHours? opening = null;
            if (range != "closed")
            {
                var parts = range.Split('-');
                if (parts.Length != 2 || !TryParseTime(parts[0], out var open) || !TryParseTime(parts[1], out var close) || close <= open)
                {
                    error = $"'{range}' is not an opening time range such as 08:00-17:00 (or 'closed')";
                    return false;
                }

                opening = new OpeningHours(open, close);
            }

            foreach (var day in days)
            {
                if (!seen.Add(day))
                {
                    error = $"{s_dayNames[(int)day]} is listed twice";
                    return false;
                }

                if (opening is { } value)
                {
                    hours[day] = value;
                }
            }
        }

        return true;
    }

    private static bool TryParseDays(string text, out List<DayOfWeek> days)
    {
        days = [];
        var parts = text.Trim().ToLowerInvariant().Split('-');
        var first = Array.IndexOf(s_dayNames, parts[0]);
        var last = parts.Length == 2 ? Array.IndexOf(s_dayNames, parts[1]) : first;
        if (parts.Length > 2 || first < 0 || last < 0)
        {
            return false;
        }

        for (var d = first; ; d = (d + 1) % 7)
        {
            days.Add((DayOfWeek)d);
            if (d == last)
            {
                return true;
            }
        }
    }

    private static bool TryParseTime(string text, out TimeSpan time)
    {
        time = default;
        if (text == "24:00")
        {
            time = TimeSpan.FromHours(24);
            return true;
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromHours(24);
    }

    private DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZone).DateTime);

    /// <summary>The instant of a local date and time; a time skipped by a daylight-saving change moves forward.</summary>
    private DateTimeOffset ToInstant(DateOnly day, TimeSpan timeOfDay)
    {
        var local = DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified) + timeOfDay;
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>Opening and closing time of one weekday, local; closing may be 24:00.</summary>
public readonly record struct OpeningHours(TimeSpan Open, TimeSpan Close);
