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
    [InlineData("https://smile.example/book?email=a%40b.com#x", UrlPart.OriginAndPath, "https://smile.example/book")]
    [InlineData("https://user:pw@smile.example:8443/a/b", UrlPart.OriginAndPath, "https://smile.example:8443/a/b")]
    [InlineData("https://smile.example/patients/81723/chart", UrlPart.OriginAndPath, "https://smile.example/patients/:redacted/chart")]
    [InlineData("https://smile.example/u/jane@example.com", UrlPart.OriginAndPath, "https://smile.example/u/:redacted")]
    [InlineData("https://smile.example/r/3f2b8c1e-8d4e-4f1a-9b2c-7e6d5a4b3c2d", UrlPart.OriginAndPath, "https://smile.example/r/:redacted")]
    [InlineData("https://www.google.com/search?q=jane+roe", UrlPart.Origin, "https://www.google.com")]
    [InlineData("/services/implants?utm_source=x", UrlPart.Path, "/services/implants")]
    [InlineData("https://smile.example/services/implants", UrlPart.Path, "/services/implants")]
    public void Url_StripsQueryFragmentUserInfoAndIdSegments(string input, UrlPart part, string expected)
    {
        Assert.True(new UrlGeneralizer(part, []).TryGeneralize(input, out var result));
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Url_RedactsSegmentsThePolicyMarksSensitive()
    {
        var generalizer = new UrlGeneralizer(UrlPart.Path, [new System.Text.RegularExpressions.Regex("^condition-")]);
        Assert.True(generalizer.TryGeneralize("/learn/condition-hiv/treatment", out var result));
        Assert.Equal("/learn/:redacted/treatment", result);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://x.example/file")]
    [InlineData("not a url")]
    public void Url_RejectsNonHttp(string input) => Assert.False(new UrlGeneralizer(UrlPart.OriginAndPath, []).TryGeneralize(input, out _));

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
