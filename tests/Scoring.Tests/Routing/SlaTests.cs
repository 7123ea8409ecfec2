using Scoring.Engine.Routing;

namespace Scoring.Tests.Routing;

public class SlaTests
{
    private static readonly TimeZoneInfo s_newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("30m", 30, SlaUnit.Minutes)]
    [InlineData("4h", 4, SlaUnit.Hours)]
    [InlineData("2d", 2, SlaUnit.Days)]
    [InlineData("1bd", 1, SlaUnit.BusinessDays)]
    public void Parses_Durations(string text, int amount, SlaUnit unit)
    {
        Assert.True(Sla.TryParse(text, out var sla));
        Assert.Equal(new Sla(amount, unit), sla);
        Assert.Equal(text, sla!.ToString());
    }

    [Theory]
    [InlineData("4")]
    [InlineData("4 h")]
    [InlineData("0h")]
    [InlineData("1w")]
    [InlineData("")]
    public void Rejects_OtherText(string text) => Assert.False(Sla.TryParse(text, out _));

    private static readonly OfficeCalendar s_nineToFive = new(s_newYork, OfficeCalendar.WeekdaysNineToFive, new HashSet<DateOnly> { new(2026, 1, 19) });

    [Fact]
    public void Hours_CountOfficeHours_AFridayNightLead_IsDueMondayMorning()
    {
        // The case: Friday 22:00 New York with 4h was due Saturday 02:00. Office hours (09-17) start Monday
        // 09:00 (14:00 UTC); four office hours later is 13:00 New York (18:00 UTC).
        var due = new Sla(4, SlaUnit.Hours).DueAt(new DateTimeOffset(2026, 1, 10, 3, 0, 0, TimeSpan.Zero), s_nineToFive);

        Assert.Equal(new DateTimeOffset(2026, 1, 12, 18, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void Hours_CarryOver_FromOneOfficeDayToTheNext()
    {
        // Thursday 15:30 New York + 4h: 1.5 h on Thursday, 2.5 h from Friday 09:00 → Friday 11:30 New York (16:30 UTC).
        var due = new Sla(4, SlaUnit.Hours).DueAt(new DateTimeOffset(2026, 1, 8, 20, 30, 0, TimeSpan.Zero), s_nineToFive);

        Assert.Equal(new DateTimeOffset(2026, 1, 9, 16, 30, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void RoundTheClockQueues_CountWallClockHours() =>
        Assert.Equal(
            new DateTimeOffset(2026, 1, 10, 7, 0, 0, TimeSpan.Zero),
            new Sla(4, SlaUnit.Hours).DueAt(new DateTimeOffset(2026, 1, 10, 3, 0, 0, TimeSpan.Zero), OfficeCalendar.AlwaysOpen(s_newYork)));

    [Fact]
    public void BusinessDay_FromFriday_IsDueMonday_AtTheSameLocalTime()
    {
        // Friday 2026-01-09 15:00 New York (20:00 UTC) + 1 business day = Monday 2026-01-12 15:00 New York.
        var due = new Sla(1, SlaUnit.BusinessDays).DueAt(new DateTimeOffset(2026, 1, 9, 20, 0, 0, TimeSpan.Zero), s_nineToFive);

        Assert.Equal(new DateTimeOffset(2026, 1, 12, 20, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void BusinessDay_FromTheWeekend_CountsFromMondaysOpening()
    {
        // Saturday 2026-01-10 10:00 New York → Monday 09:00 → Tuesday 2026-01-13 09:00 New York (14:00 UTC).
        var due = new Sla(1, SlaUnit.BusinessDays).DueAt(new DateTimeOffset(2026, 1, 10, 15, 0, 0, TimeSpan.Zero), s_nineToFive);

        Assert.Equal(new DateTimeOffset(2026, 1, 13, 14, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void BusinessDays_AndOfficeHours_SkipHolidays()
    {
        // Friday 2026-01-16 16:00 New York; Monday 2026-01-19 is a holiday. 1bd → Tuesday 16:00 (21:00 UTC);
        // 2h → 1 h on Friday, then Tuesday 09:00 + 1 h = 10:00 New York (15:00 UTC).
        var friday = new DateTimeOffset(2026, 1, 16, 21, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 1, 20, 21, 0, 0, TimeSpan.Zero), new Sla(1, SlaUnit.BusinessDays).DueAt(friday, s_nineToFive));
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 15, 0, 0, TimeSpan.Zero), new Sla(2, SlaUnit.Hours).DueAt(friday, s_nineToFive));
    }

    [Fact]
    public void OfficeHours_FollowDaylightSavingTime()
    {
        // Sunday 2026-03-08 New York springs forward. Friday 16:00 EST (21:00 UTC) + 2h: 1 h Friday, Monday 09:00 EDT
        // (13:00 UTC) + 1 h = 14:00 UTC.
        var due = new Sla(2, SlaUnit.Hours).DueAt(new DateTimeOffset(2026, 3, 6, 21, 0, 0, TimeSpan.Zero), s_nineToFive);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.Zero), due);
    }

    [Theory]
    [InlineData("mon-fri", "08:00-17:00", null)]
    [InlineData("sat", "closed", null)]
    [InlineData("fri-mon", "09:00-13:00", null)]
    [InlineData("mon-xyz", "08:00-17:00", "'mon-xyz' is not a day or range of days (mon, tue, wed, thu, fri, sat, sun; e.g. mon-fri)")]
    [InlineData("mon", "17:00-08:00", "'17:00-08:00' is not an opening time range such as 08:00-17:00 (or 'closed')")]
    public void OfficeHours_Parse(string days, string range, string? error)
    {
        var ok = OfficeCalendar.TryParseHours([(days, range)], out _, out var problem);

        Assert.Equal((error is null, error), (ok, problem));
    }
}
