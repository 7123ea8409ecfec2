using Gateway.Compliance.Detectors;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Tests.Text;

/// <summary>Fail-closed free text: what passes is a known harmless word; each leak the issue reported is a case here.</summary>
public class FreeTextScrubberTests
{
    private static readonly FreeTextScrubber s_dental = new(TextDetectorRegistry.Default.All,
        new AllowedVocabulary(["implant", "implants", "invisalign", "hygienist", "x-ray", "all-on-4", "glp-1"]));

    private static string Scrub(string text) => s_dental.Scrub(text).Text;

    [Theory]
    [InlineData("Interested in whitening before the holidays, is financing available?")]
    [InlineData("My tooth has been sensitive to cold since the weekend. Do you take my insurance for a crown?")]
    [InlineData("I will call back tomorrow morning about the root canal.")]
    [InlineData("Can I get sedation for the extraction? I am nervous about needles.")]
    [InlineData("Asking about Invisalign and an x-ray, or all-on-4 implants.")]
    public void KeepsOrdinaryTextAndDomainTerms_Unchanged(string text)
    {
        var result = s_dental.Scrub(text);
        Assert.Equal(text, result.Text);
        Assert.False(result.Altered);
        Assert.Empty(result.Labels);
    }

    [Theory]
    [InlineData("I live at 12 Oak Hollow, please call", "Oak", "Hollow")]
    [InlineData("Send it to 88 Lee Crossing Path today", "Lee", "Crossing")]
    [InlineData("office on 4 St Mary Fork", "Mary", "Fork")]
    [InlineData("my address is 7 Birch Bend", "Birch", "Bend")]
    [InlineData("she lives on maple street near the park", "maple", "street")]
    [InlineData("reach me at 52 Pampas after five", "Pampas", "52")]
    public void RedactsStreetAddresses_WhateverTheSuffix(string text, params string[] gone) => AssertGone(text, gone);

    [Theory]
    [InlineData("Patient Jane, surname Roe called", "Roe")]
    [InlineData("my name is tobias fenwick-hale and I need implants", "tobias", "fenwick")]
    [InlineData("Florentyna de la Kowalczyk wants a cleaning", "Florentyna", "Kowalczyk")]
    [InlineData("my name is Rose Hunter", "Rose", "Hunter")]
    [InlineData("rose hunter called about a cleaning", "rose", "hunter")]
    [InlineData("I'm Grace and my husband Will White wants whitening", "Grace", "Will", "White")]
    [InlineData("please ask for mark", "mark")]
    [InlineData("Thanks, Amber", "Amber")]
    [InlineData("Amber here, is Friday open?", "Amber")]
    [InlineData("Zoë Ångström-Łukasiewicz booked", "Zoë", "Ångström", "Łukasiewicz")]
    [InlineData("I live in Nice and work in Reading", "Nice", "Reading")]
    [InlineData("we moved to Long Beach last year", "Long Beach")]
    [InlineData("REGARDS, BOA VISTA", "BOA", "VISTA")]
    public void RedactsNames_IncludingLowerCaseAccentedAndOrdinaryWordNames(string text, params string[] gone) => AssertGone(text, gone);

    [Theory]
    [InlineData("write to x at example dot com", "example dot com")]
    [InlineData("or x @ example.com", "example.com")]
    [InlineData("jane＠example．com", "jane")]
    [InlineData("mail jane.roe(at)example(dot)org", "jane")]
    [InlineData("call +44 20 7946 0958", "7946")]
    [InlineData("ssn 123.45.6789", "6789")]
    [InlineData("born 9-Apr-1971", "Apr")]
    [InlineData("born 1971.04.09", "04")]
    [InlineData("born 1971/04/09", "1971")]
    [InlineData("chart A-12345", "12345")]
    [InlineData("six one seven five five five oh one three four", "seven five")]
    [InlineData("code 4B and 5pm", "4B")]
    public void RedactsIdentifiersInAnySpelling(string text, string gone) => AssertGone(text, gone);

    [Theory]
    [InlineData("st\u200Bacy roe", "stacy")]
    [InlineData("Ｊａｎｅ Ｒｏｅ called", "Jane")]
    [InlineData("j\u00ADane@example.com", "example")]
    public void NormalizesLookAlikes_BeforeChecking(string text, string gone) => AssertGone(text, gone);

    [Fact]
    public void UnknownWords_AreRedacted_EvenWithoutAnyDetector()
    {
        var scrubber = new FreeTextScrubber([], AllowedVocabulary.EnglishOnly, findNames: false);
        var result = scrubber.Scrub("ask xqzlorb about the zyxwv treatment");
        Assert.Equal("ask [REDACTED] about the [REDACTED] treatment", result.Text);
        Assert.Equal([FreeTextScrubber.UnknownWord], result.Labels);
    }

    [Fact]
    public void DropsSymbols_ButKeepsPlainPunctuation()
    {
        var result = s_dental.Scrub("Pain 😀 here #urgent!! (left side) - 50% worse");
        Assert.DoesNotContain("😀", result.Text);
        Assert.DoesNotContain("#", result.Text);
        Assert.Contains("(left side)", result.Text);
        Assert.True(result.Altered);
    }

    [Fact]
    public void NamesInTitleCaseRuns_AreNames_ButAllCapsShoutingIsNot()
    {
        Assert.Equal("MY TOOTH HURTS", Scrub("MY TOOTH HURTS"));
        Assert.DoesNotContain("Harbor", Scrub("saw a dentist at Pine Harbor Dental yesterday"));
    }

    [Fact]
    public void IsHarmless_OnlyForTextThatPassesUnchanged()
    {
        Assert.True(s_dental.IsHarmless("implant consultation"));
        Assert.False(s_dental.IsHarmless("implant consultation for jane"));
        Assert.False(s_dental.IsHarmless("implant 2026"));
        Assert.False(s_dental.IsHarmless("implant @ home"));
    }

    /// <summary>None of <paramref name="gone"/> is left as a word (or words) of the scrubbed text, placeholders aside.</summary>
    private static void AssertGone(string text, string[] gone)
    {
        var scrubbed = System.Text.RegularExpressions.Regex.Replace(Scrub(text), @"\[REDACTED(:[A-Z_]+)?\]", " ");
        var result = " " + string.Join(' ', System.Text.RegularExpressions.Regex.Split(TextNormalization.Fold(scrubbed), @"[^\p{L}\p{N}]+")) + " ";
        foreach (var part in gone)
        {
            var words = string.Join(' ', System.Text.RegularExpressions.Regex.Split(TextNormalization.Fold(part), @"[^\p{L}\p{N}]+"));
            Assert.DoesNotContain(" " + words + " ", result, StringComparison.Ordinal);
        }
    }

    private static void AssertGone(string text, string gone) => AssertGone(text, [gone]);
}
