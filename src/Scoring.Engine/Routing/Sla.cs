using System.Globalization;
using System.Text.RegularExpressions;

namespace Scoring.Engine.Routing;

/// <summary>The unit of an <see cref="Sla"/>.</summary>
public enum SlaUnit
{
    Minutes,
    Hours,
    Days,

    /// <summary>Monday to Friday in the routing time zone; holidays are not known.</summary>
    BusinessDays,
}

/// <summary>
/// A response-time target written as <c>30m</c>, <c>4h</c>, <c>2d</c> or <c>1bd</c> (business days). An MQL is
/// overdue once <see cref="DueAt"/> of its hand-off time has passed without an SQL, conversion or disqualification.
/// </summary>
public sealed partial record Sla(int Amount, SlaUnit Unit)
{
    public static bool TryParse(string? text, out Sla? sla)
    {
        sla = null;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        sla = new Sla(amount, match.Groups[2].Value switch
        {
            "m" => SlaUnit.Minutes,
            "h" => SlaUnit.Hours,
            "d" => SlaUnit.Days,
            _ => SlaUnit.BusinessDays,
        });
        return true;
    }

    /// <summary>
    /// When a lead handed off at <paramref name="start"/> is due. Business days: a start on a weekend counts from
    /// Monday 00:00 local time; each business day moves the local time one weekday forward.
    /// </summary>
    public DateTimeOffset DueAt(DateTimeOffset start, TimeZoneInfo timeZone) => Unit switch
    {
        SlaUnit.Minutes => start.AddMinutes(Amount),
        SlaUnit.Hours => start.AddHours(Amount),
        SlaUnit.Days => start.AddDays(Amount),
        _ => AddBusinessDays(start, timeZone),
    };

    public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture) + Unit switch
    {
        SlaUnit.Minutes => "m",
        SlaUnit.Hours => "h",
        SlaUnit.Days => "d",
        _ => "bd",
    };

    private DateTimeOffset AddBusinessDays(DateTimeOffset start, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(start, timeZone).DateTime;
        if (IsWeekend(local))
        {
            local = local.Date;
            while (IsWeekend(local))
            {
                local = local.AddDays(1);
            }
        }

        for (var added = 0; added < Amount;)
        {
            local = local.AddDays(1);
            if (!IsWeekend(local))
            {
                added++;
            }
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (timeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static bool IsWeekend(DateTime day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    [GeneratedRegex("^([0-9]{1,4})(m|h|d|bd)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
