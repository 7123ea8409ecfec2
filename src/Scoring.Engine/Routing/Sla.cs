using System.Globalization;
using System.Text.RegularExpressions;

namespace Scoring.Engine.Routing;

/// <summary>The unit of an <see cref="Sla"/>.</summary>
public enum SlaUnit
{
    Minutes,
    Hours,
    Days,

    /// <summary>Days the office is open, holidays excluded.</summary>
    BusinessDays,
}

/// <summary>
/// A response-time target written as <c>30m</c>, <c>4h</c>, <c>2d</c> or <c>1bd</c> (business days), counted in a
/// location's office hours. An MQL is overdue once <see cref="DueAt"/> of its hand-off time has passed without an
/// SQL, conversion, disqualification or recycling.
/// </summary>
public sealed partial record Sla(int Amount, SlaUnit Unit)
{
    /// <summary>The error for text that is not a duration.</summary>
    public static string NotADuration(string text) =>
        $"'{text}' is not a duration: write a whole number and m, h, d or bd (business days), e.g. 4h or 1bd";

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
    /// When a lead handed off at <paramref name="start"/> is due: minutes and hours count only the calendar's open time
    /// (a Friday 22:00 lead with 4h is due four office hours after Monday's opening); days are calendar days; business
    /// days skip weekends and holidays (see <see cref="OfficeCalendar.AddBusinessDays"/>).
    /// </summary>
    public DateTimeOffset DueAt(DateTimeOffset start, OfficeCalendar calendar) => Unit switch
    {
        SlaUnit.Minutes => calendar.AddOpenTime(start, TimeSpan.FromMinutes(Amount)),
        SlaUnit.Hours => calendar.AddOpenTime(start, TimeSpan.FromHours(Amount)),
        SlaUnit.Days => start.AddDays(Amount),
        _ => calendar.AddBusinessDays(start, Amount),
    };

    public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture) + Unit switch
    {
        SlaUnit.Minutes => "m",
        SlaUnit.Hours => "h",
        SlaUnit.Days => "d",
        _ => "bd",
    };

    [GeneratedRegex("^([0-9]{1,4})(m|h|d|bd)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
