using Gateway.Compliance.Detectors;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Tests.Detectors;

public class TextDetectorTests
{
    private static readonly FreeTextScrubber s_all = new(TextDetectorRegistry.Default.All, AllowedVocabulary.EnglishOnly);

    [Theory]
    [InlineData("email", "write to jane.roe@example.com today", "jane.roe@example.com")]
    [InlineData("email", "JOHN_DOE+dental@Mail.Example.CO.UK", "JOHN_DOE+dental@Mail.Example.CO.UK")]
    [InlineData("email", "jane (at) example (dot) com", "jane (at) example (dot) com")]
    [InlineData("phone", "call (617) 555-0134 please", "(617) 555-0134")]
    [InlineData("phone", "cell 617.555.0134", "617.555.0134")]
    [InlineData("phone", "+1 617 555 0134 ext 12", "+1 617 555 0134 ext 12")]
    [InlineData("ssn", "ssn 078-05-1120", "078-05-1120")]
    [InlineData("ssn", "Social Security number: 078051120", "Social Security number: 078051120")]
    [InlineData("mrn", "MRN: A1234567", "MRN: A1234567")]
    [InlineData("mrn", "member id XJ-88213", "member id XJ-88213")]
    [InlineData("mrn", "chart 4471123", "4471123")]
    [InlineData("mrn", "ref MRN-8812734, thanks", "MRN-8812734")]
    [InlineData("mrn", "number 8812734, then", "8812734")]
    [InlineData("mrn", "ends with 8812734.", "8812734")]
    [InlineData("date", "seen on 11/02/2026", "11/02/2026")]
    [InlineData("date", "born 1971-04-09", "1971-04-09")]
    [InlineData("date", "since March 3rd, 2024", "March 3rd, 2024")]
    [InlineData("date", "on the 4th of July", "4th of July")]
    [InlineData("street-address", "I live at 1200 N Lake Shore Dr Apt 4B", "1200 N Lake Shore Dr Apt 4B")]
    [InlineData("street-address", "mail to PO Box 221", "PO Box 221")]
    [InlineData("url", "see https://portal.example.com/p/123?x=1", "https://portal.example.com/p/123?x=1")]
    [InlineData("url", "visit www.smile.example", "www.smile.example")]
    [InlineData("ip", "from 203.0.113.42 yesterday", "203.0.113.42")]
    [InlineData("ip", "v6 2001:db8::ff00:42:8329", "2001:db8::ff00:42:8329")]
    [InlineData("credit-card", "card 4111 1111 1111 1111 exp", "4111 1111 1111 1111")]
    [InlineData("credit-card", "amex 378282246310005", "378282246310005")]
    [InlineData("email", "jane at example dot com", "jane at example dot com")]
    [InlineData("email", "x @ example.com", "x @ example.com")]
    [InlineData("phone", "call +44 20 7946 0958 today", "+44 20 7946 0958")]
    [InlineData("ssn", "ssn 123.45.6789", "123.45.6789")]
    [InlineData("date", "born 9-Apr-1971", "9-Apr-1971")]
    [InlineData("date", "born 1971.04.09", "1971.04.09")]
    [InlineData("date", "born 1971/04/09", "1971/04/09")]
    [InlineData("street-address", "at 8421 Oak Hollow", "8421 Oak Hollow")]
    [InlineData("street-address", "on 12 Lee Crossing Path", "12 Lee Crossing Path")]
    [InlineData("street-address", "by Maple Fork", "Maple Fork")]
    [InlineData("street-address", "lives on maple street", "maple street")]
    [InlineData("street-address", "near St. Mary Fork", "St. Mary Fork")]
    [InlineData("mrn", "chart A-12345 today", "chart A-12345")]
    [InlineData("zip", "I'm in 02139 now", "02139")]
    public void Detects(string detector, string text, string expected)
    {
        Assert.True(TextDetectorRegistry.Default.TryGet(detector, out var detectors));
        var matches = new List<TextMatch>();
        foreach (var d in detectors)
        {
            d.Detect(text, matches);
        }

        Assert.Contains(matches, m => text.Substring(m.Start, m.Length).Contains(expected, StringComparison.Ordinal)
            || expected.Contains(text.Substring(m.Start, m.Length), StringComparison.Ordinal) && m.Length >= expected.Length - 2);
    }

    [Theory]
    [InlineData("credit-card", "order 4111 1111 1111 1112")]
    [InlineData("ssn", "invalid 000-12-3456")]
    [InlineData("ssn", "invalid 666-12-3456")]
    [InlineData("email", "no at sign here.com")]
    [InlineData("ip", "version 1.2.3")]
    [InlineData("street-address", "it is a long way down the road")]
    [InlineData("email", "look at the dot com bubble")]
    [InlineData("phone", "I need 2 implants and 3 crowns")]
    [InlineData("mrn", "a budget of 1,250,000.00 dollars")]
    public void DoesNotDetect(string detector, string text)
    {
        Assert.True(TextDetectorRegistry.Default.TryGet(detector, out var detectors));
        var matches = new List<TextMatch>();
        foreach (var d in detectors)
        {
            d.Detect(text, matches);
        }

        Assert.Empty(matches);
    }

    [Fact]
    public void Redacts_EveryIdentifier_AndReportsDetectorsWithoutValues()
    {
        var result = s_all.Scrub("My name is Jane Roe, call 617-555-0134 or jane@example.com; MRN 4471123 on 11/02/2026.");
        Assert.Equal("My name is [REDACTED:PERSON_NAME], call [REDACTED:PHONE] or [REDACTED:EMAIL]; [REDACTED:MRN] on [REDACTED:DATE].", result.Text);
        Assert.Equal(["date", "email", "mrn", "person-name", "phone"], result.Labels);
    }

    [Fact]
    public void Leaves_TextWithoutIdentifiers_Unchanged()
    {
        const string text = "Interested in whitening before the holidays, is financing available?";
        var result = s_all.Scrub(text);
        Assert.Equal(text, result.Text);
        Assert.Empty(result.Labels);
        Assert.False(result.Altered);
    }

    [Fact]
    public void Merges_OverlappingMatches_IntoOnePlaceholder()
    {
        var result = s_all.Scrub("referred by Dr. Alan Smith. Patient Tom Baker");
        Assert.DoesNotContain("Alan", result.Text);
        Assert.DoesNotContain("Tom", result.Text);
        Assert.DoesNotContain("Baker", result.Text);
    }

    [Fact]
    public void Accepts_CustomDetectors()
    {
        var registry = TextDetectorRegistry.Default.With(new RegexDetector("policy-number", new System.Text.RegularExpressions.Regex("POL-[0-9]{6}")));
        Assert.True(registry.TryGet("policy-number", out var detectors));
        var result = new FreeTextScrubber(detectors, AllowedVocabulary.EnglishOnly).Scrub("policy POL-123456 renewed");
        Assert.Equal("policy [REDACTED:POLICY_NUMBER] renewed", result.Text);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111-1111-1111-1111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("1234", false)]
    public void Luhn(string digits, bool valid) => Assert.Equal(valid, LuhnCardDetector.PassesLuhn(digits));
}
