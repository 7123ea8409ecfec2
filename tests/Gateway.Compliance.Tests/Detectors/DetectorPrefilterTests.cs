using System.Text;
using Gateway.Compliance.Detectors;

namespace Gateway.Compliance.Tests.Detectors;

/// <summary>
/// The built-in detectors skip a pattern on text lacking a character (or word) the pattern needs. These tests check
/// that the skip never changes a result: on many texts (the detector tests' samples, the fixtures' free text, and
/// seeded random mixes of cue words, digits of several scripts, punctuation and unicode), detecting with the
/// prefilter finds exactly the matches that running every pattern finds.
/// </summary>
public class DetectorPrefilterTests
{
    private static readonly TextDetection s_prefiltered = new(TextDetectorRegistry.BuiltIn(prefilter: true));
    private static readonly TextDetection s_everyPattern = new(TextDetectorRegistry.BuiltIn(prefilter: false));

    private static readonly string[] s_pieces =
    [
        "my name is ", "Name: ", "I'm ", "patient ", "pt. ", "referred by ", "Dr. ", "dr ", "Mrs ", "thanks ", "signed ",
        "Jane", "Roe", "O'Neil", "jane", "ROE", "Smith-Jones", "ssn ", "SSN: ", "social security # ", "MRN ", "member id ",
        "chart # ", "acct ", "policy no. ", "id number ", "may ", "March ", "4th of july", "dec. ", "jan ", "st", "th",
        "PO Box ", "p.o. box ", "Apt 4B", " Lake Shore Dr", " Main St", " ave", " at ", " dot ", " street", " Road", " lane", "www.", "http://", "https://", "ftp://",
        ".com", ".health", "/path", "?q=1", "example", "@", "(at)", "[at]", "(dot)", "[dot]", "::1", "fe80::", ":",
        "192.168.", "10.0.0.", ".", "-", "/", " ", "  ", "\n", ",", "#", "x", "ext ", "+1 ", "(617) ", "555", "0134",
        "4111", "1111", "0", "1", "12", "123", "1234", "12345", "123456", "2026", "11/02", "1971-04-09",
        "٣", "٤٥٦", "３", "７８９", "߁", "é", "K", "İ", "中文", "😀", "_", "fall_new_patients", "google", "cpc", "facebook",
    ];

    public static TheoryData<string> Samples() =>
    [
        "fall_new_patients", "google", "cpc", "paid_social", "spring_implants", "implants near me", "jane roe dentist",
        "My name is Jane Roe, call me at 617-555-0134 or jane.roe@example.com. MRN 4471123, lost a molar on 11/02/2026.",
        "jane at example dot com", "lives on maple street", "STREET", "at\tnoon",
        "member id XJ-88213", "write to jane (at) example (dot) com", "see http://localhost/x", "fe80::1 and ::1",
        "call ٦١٧٥٥٥٠١٣٤ now", "born ١٩٧١-٠٤-٠٩", "referred by Dr. Alan Smith", "thanks Ana", "Kelvin ΚK sign",
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Prefilter_ChangesNothing_OnSamples(string text) => AssertSame(text);

    [Fact]
    public void Prefilter_ChangesNothing_OnGeneratedText()
    {
        var random = new Random(8);
        var checkedTexts = 0;
        var redacted = 0;
        for (var i = 0; i < 20000; i++)
        {
            var builder = new StringBuilder();
            var pieces = random.Next(1, 9);
            for (var p = 0; p < pieces; p++)
            {
                builder.Append(s_pieces[random.Next(s_pieces.Length)]);
            }

            var text = builder.ToString();
            AssertSame(text);
            checkedTexts++;
            redacted += s_everyPattern.Scan(text).Count > 0 ? 1 : 0;
        }

        // Both kinds must be common, or the comparison proves little.
        Assert.InRange(redacted, checkedTexts / 5, checkedTexts - (checkedTexts / 10));
    }

    private static void AssertSame(string text)
    {
        var expected = new List<TextMatch>();
        var actual = new List<TextMatch>();
        Assert.Equal(s_everyPattern.TryFind(text, expected), s_prefiltered.TryFind(text, actual));
        Assert.Equal(expected.OrderBy(m => m.Start).ThenBy(m => m.Length).ThenBy(m => m.Detector, StringComparer.Ordinal),
            actual.OrderBy(m => m.Start).ThenBy(m => m.Length).ThenBy(m => m.Detector, StringComparer.Ordinal));
    }
}
