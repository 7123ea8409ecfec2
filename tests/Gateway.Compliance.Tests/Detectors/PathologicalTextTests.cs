using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Tests.Detectors;

/// <summary>Free text built to make the detectors' regular expressions backtrack: bounded time, and failing closed.</summary>
public class PathologicalTextTests
{
    private static string Repeat(string unit, int length) => string.Concat(Enumerable.Repeat(unit, (length / unit.Length) + 1))[..length];

    [Theory]
    [InlineData("1-")]
    [InlineData("a.")]
    [InlineData("1.1.1.1.")]
    [InlineData("a-")]
    [InlineData("1:")]
    [InlineData("1 a ")]
    [InlineData("my name is Abc ")]
    [InlineData("thanks Abc ")]
    [InlineData("x at y dot ")]
    [InlineData("Abc Street ")]
    [InlineData("rose grace ")]
    [InlineData("1")]
    public void EventSizedText_IsRedactedInBoundedTime_AndATimeoutRedactsEverything(string unit)
    {
        // 32 KB is the most one event can hold; the built-in regexes each have a 250 ms match timeout.
        var text = Repeat(unit, 32 * 1024 - 16) + "@x";
        var scrubber = new FreeTextScrubber(TextDetectorRegistry.Default.All, AllowedVocabulary.EnglishOnly);
        var clock = Stopwatch.StartNew();
        var result = scrubber.Scrub(text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        if (result.TimedOut)
        {
            Assert.Equal(TextDetection.Placeholder("TEXT"), result.Text);
            Assert.Equal(["timeout"], result.Labels);
        }
    }

    [Fact]
    public void DetectorTimeout_RedactsTheWholeText_NamingNoValue()
    {
        var catastrophic = new RegexDetector("slow", new Regex("(a+)+$", RegexOptions.None, TimeSpan.FromMilliseconds(1)));
        var scrubber = new FreeTextScrubber([catastrophic, .. TextDetectorRegistry.Default.All], AllowedVocabulary.EnglishOnly);
        var result = scrubber.Scrub("call 617-555-0134 " + new string('a', 5000) + "!");
        Assert.True(result.TimedOut);
        Assert.Equal("[REDACTED:TEXT]", result.Text);
        Assert.Equal(["timeout"], new TextDetection([catastrophic]).Scan(new string('a', 5000) + "!"));
    }
}
