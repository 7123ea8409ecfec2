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

    [Fact]
    public void Hours_AreWallClockHours() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 9, 14, 0, 0, TimeSpan.Zero), new Sla(4, SlaUnit.Hours).DueAt(new DateTimeOffset(2026, 1, 9, 10, 0, 0, TimeSpan.Zero), s_newYork));

    [Fact]
    public void BusinessDay_FromFriday_IsDueMonday_AtTheSameLocalTime()
    {
        // Friday 2026-01-09 15:00 New York (20:00 UTC) + 1 business day = Monday 2026-01-12 15:00 New York.
        var due = new Sla(1, SlaUnit.BusinessDays).DueAt(new DateTimeOffset(2026, 1, 9, 20, 0, 0, TimeSpan.Zero), s_newYork);

        Assert.Equal(new DateTimeOffset(2026, 1, 12, 20, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void BusinessDay_FromTheWeekend_CountsFromMondayMidnight()
    {
        // Saturday 2026-01-10 10:00 New York → Monday 00:00 → Tuesday 2026-01-13 00:00 New York (05:00 UTC).
        var due = new Sla(1, SlaUnit.BusinessDays).DueAt(new DateTimeOffset(2026, 1, 10, 15, 0, 0, TimeSpan.Zero), s_newYork);

        Assert.Equal(new DateTimeOffset(2026, 1, 13, 5, 0, 0, TimeSpan.Zero), due);
    }
}
