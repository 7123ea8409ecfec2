using Gateway.Compliance.Generalization;

namespace Gateway.Compliance.Tests.Generalization;

public class GeneralizationTests
{
    [Theory]
    [InlineData("02139", "021")]
    [InlineData("02139-4307", "021")]
    [InlineData("021394307", "021")]
    [InlineData(" 60610 ", "606")]
    [InlineData("03601", "000")]
    [InlineData("05901", "000")]
    [InlineData("69201", "000")]
    [InlineData("89301", "000")]
    public void Zip3_KeepsThreeDigits_AndZeroesRestrictedAreas(string zip, string expected)
    {
        Assert.True(SafeHarborZip.TryGeneralize(zip, out var result));
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Zip3_RestrictedList_IsHhsList()
    {
        Assert.Equal(
            ["036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893"],
            SafeHarborZip.RestrictedZip3.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("2139")]
    [InlineData("ABCDE")]
    [InlineData("02139-43")]
    [InlineData("")]
    public void Zip3_RejectsNonZips(string zip) => Assert.False(SafeHarborZip.TryGeneralize(zip, out _));

    [Theory]
    [InlineData("1971-04-09", "55-64")]
    [InlineData("2008-11-23", "0-17")]
    [InlineData("2008-11-22", "18-24")]
    [InlineData("2008-11-24", "0-17")]
    [InlineData("1937-11-22", "75-89")]
    [InlineData("1936-11-23", "75-89")]
    [InlineData("1936-11-22", "90+")]
    [InlineData("1920-01-01", "90+")]
    [InlineData("04/09/1971", "55-64")]
    public void AgeBand_UsesToday_AndAggregatesOver89(string birth, string expected)
    {
        var today = new DateOnly(2026, 11, 22);
        Assert.True(AgeBands.TryGetBand(birth, today, AgeBands.DefaultLowerBounds, out var band));
        Assert.Equal(expected, band);
    }

    [Theory]
    [InlineData("2030-01-01")]
    [InlineData("1890-01-01")]
    [InlineData("not a date")]
    public void AgeBand_RejectsFutureImpossibleOrUnreadableDates(string birth) =>
        Assert.False(AgeBands.TryGetBand(birth, new DateOnly(2026, 11, 22), AgeBands.DefaultLowerBounds, out _));

    [Theory]
    [InlineData("203.0.113.42", "203.0.113.0")]
    [InlineData("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.0")]
    public void Ip_TruncatesTo24And48(string ip, string expected)
    {
        Assert.True(IpTruncation.TryTruncate(ip, out var result));
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData(3, "<6")]
    [InlineData(6, "6-12")]
    [InlineData(14, "12-18")]
    [InlineData(36, "36+")]
    public void Band_LabelsRanges(double value, string expected) => Assert.Equal(expected, NumberBands.BandFor(value, [6, 12, 18, 24, 36]));
}
