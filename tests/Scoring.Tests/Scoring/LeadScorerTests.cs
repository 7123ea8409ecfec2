using Scoring.Engine.Scoring;
using Scoring.Tests.TestSupport;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Scoring;

public class LeadScorerTests
{
    private readonly LeadScorer _scorer = new(Create());

    [Fact]
    public void FitOnly_SumsAttributePoints_AndNeverQualifies()
    {
        var b = _scorer.Score([IdealProfile(T0)], T0 + TimeSpan.FromDays(400));

        // implants 15 + in_network 10 + in area 10 = 35; no intent; fit does not decay.
        Assert.Equal(35, b.Fit);
        Assert.Equal(0, b.Intent);
        Assert.Equal(35, b.Score);
        Assert.False(b.Qualifies);
        Assert.Equal(["matched", "matched", "matched"], b.FitLines.Select(l => l.Basis));
        Assert.Null(b.LastEngagementAt);
    }

    [Fact]
    public void Fit_UsesOtherwise_ForUnlistedValues_AndZeroWhenMissing_AndNegativePoints()
    {
        var b = _scorer.Score([Other("identify", T0, ("traits.service_line", "Veneers"), ("derived.in_service_area", "false"))], T0);

        // service_line 'veneers' is not listed: otherwise 2; insurance missing: 0; outside the area: -10. 2 + 0 - 10 = -8.
        Assert.Equal(-8, b.Fit);
        Assert.Equal(["otherwise", "missing", "matched"], b.FitLines.Select(l => l.Basis));
    }

    [Fact]
    public void Fit_TakesTheMostRecentValue_AcrossEvents()
    {
        var b = _scorer.Score(
            [
                Other("identify", T0, ("traits.service_line", "implants")),
                Track("Pricing Page Viewed", T0.AddDays(1), ("properties.service_line", "hygiene")),
            ],
            T0.AddDays(1));

        Assert.Equal("hygiene", b.AttributeValueOf("service_line"));
        Assert.Equal(4, b.FitLines[0].Points);
    }

    [Fact]
    public void IntentOnly_CountsMostRecentEventsUpToMaxCount_AndMultipliesServiceLineSignals()
    {
        var events = Enumerable.Range(0, 5).Select(i => Other("page", T0.AddMinutes(i))).ToList();
        events.Add(Track("Pricing Page Viewed", T0.AddMinutes(10), ("properties.service_line", "implants")));
        var at = T0.AddMinutes(10);

        var b = _scorer.Score(events, at);

        // 3 counted pages (maxCount 3) x 1 point, decayed for at most 10 minutes: ~3;
        // pricing page naming a service line: 10 x 1.5 = 15. The implants value also gives fit 15.
        Assert.Equal(15, b.Fit);
        Assert.Equal(18, b.Intent, 3);
        Assert.Equal(2, b.IntentLines.Count(l => !l.Counted));
        Assert.All(b.IntentLines.Where(l => !l.Counted), l => Assert.True(l.At < T0.AddMinutes(2)));
        var pricing = b.IntentLines.Single(l => l.Event == "Pricing Page Viewed");
        Assert.Equal((10d, 1.5, 15d, 1d, 15d), (pricing.BasePoints, pricing.Multiplier, pricing.Points, pricing.DecayFactor, pricing.DecayedPoints));
    }

    [Fact]
    public void Variant_ReplacesBasePoints_WhenItsConditionsMatch()
    {
        var b = _scorer.Score(
            [Track("Recall Responded", T0, ("properties.response", "Scheduled")), Track("Recall Responded", T0, ("properties.response", "later"))],
            T0);

        // scheduled (case-insensitive) → variant 30; later → base 5. 30 + 5 = 35.
        Assert.Equal(35, b.Intent);
        Assert.Single(b.IntentLines, l => l.Variant == "properties.response = scheduled");
    }

    [Fact]
    public void Decay_AfterOneQuarterOfInactivity_Keeps75Percent()
    {
        var b = _scorer.Score([IdealProfile(T0), Track("Strong Signal", T0)], T0 + Decay.Quarter);

        // fit 35 + 40 x 0.75^1 = 35 + 30 = 65.
        Assert.Equal(30, b.Intent, 9);
        Assert.Equal(65, b.Score, 9);
        Assert.Equal(T0, b.LastEngagementAt);
    }

    [Fact]
    public void Decay_AfterTwoQuartersOfInactivity_Keeps56Point25Percent()
    {
        var b = _scorer.Score([IdealProfile(T0), Track("Strong Signal", T0)], T0 + 2 * Decay.Quarter);

        // fit 35 + 40 x 0.75^2 = 35 + 22.5 = 57.5: below the threshold 60.
        Assert.Equal(22.5, b.Intent, 9);
        Assert.Equal(57.5, b.Score, 9);
        Assert.False(b.Qualifies);
    }

    [Fact]
    public void Decay_IsContinuous_HalfAQuarterKeepsTheSquareRoot()
    {
        var b = _scorer.Score([Track("Strong Signal", T0)], T0 + Decay.Quarter / 2);

        // 40 x 0.75^0.5 = 40 x 0.8660254 = 34.641016.
        Assert.Equal(34.641016, b.Intent, 6);
    }

    [Fact]
    public void Decay_OverInactivity_ScalesTheWholeIntentScoreByTheSameFactor()
    {
        // Signals of different ages; the lead then goes quiet for one quarter.
        List<Engine.Events.LeadEvent> events =
        [
            Track("Strong Signal", T0),
            Track("Pricing Page Viewed", T0.AddDays(20)),
            Track("Appointment Requested", T0.AddDays(50)),
        ];
        var last = T0.AddDays(50);

        var before = _scorer.Score(events, last).Intent;
        var after = _scorer.Score(events, last + Decay.Quarter).Intent;

        Assert.Equal(before * 0.75, after, 9);
    }

    [Fact]
    public void FutureEvents_DoNotCount()
    {
        var b = _scorer.Score([Track("Strong Signal", T0.AddDays(1))], T0);

        Assert.Equal(0, b.Intent);
        Assert.Empty(b.IntentLines);
    }

    [Fact]
    public void ThresholdEdge_ExactlyAtThreshold_DoesNotQualify_TheScoreMustExceedIt()
    {
        var events = new[]
        {
            IdealProfile(T0),
            Track("Pricing Page Viewed", T0, ("properties.service_line", "implants")),
            Track("Pricing Page Viewed", T0),
        };

        var b = _scorer.Score(events, T0);

        // fit 35 + 10 x 1.5 + 10 = 35 + 15 + 10 = 60 = threshold: it does not exceed it (it used to be an MQL for 1 ms).
        Assert.Equal(60, b.Score);
        Assert.False(b.QualifiesByScore);
        Assert.True(new LeadScorer(Create() with { Threshold = 59.99 }).Score(events, T0).QualifiesByScore);
    }

    [Theory]
    [InlineData(15.004, false, "60")]
    [InlineData(15.006, true, "60.01")]
    public void Qualification_ComparesTheScoreAsShown(double implantPoints, bool qualifies, string shown)
    {
        var config = Create();
        var scorer = new LeadScorer(config with { Fit = [config.Fit[0] with { Points = new Dictionary<string, double> { ["implants"] = implantPoints } }, .. config.Fit.Skip(1)] });
        var events = new[] { IdealProfile(T0), Track("Pricing Page Viewed", T0, ("properties.service_line", "implants")), Track("Pricing Page Viewed", T0) };

        var b = scorer.Score(events, T0);

        // 35.00x + 15 + 10: a score that reads "60" never exceeds 60, one that exceeds it never reads "60".
        Assert.Equal((qualifies, shown), (b.QualifiesByScore, LeadScorer.Format(b.Score)));
    }

    [Fact]
    public void DirectRule_HoldsWithinItsWindow_WhenFitIsHighEnough()
    {
        var events = new[] { IdealProfile(T0), Track("Appointment Requested", T0, ("properties.service_line", "implants")) };

        var within = _scorer.Score(events, T0.AddDays(30));
        var after = _scorer.Score(events, T0.AddDays(30).AddMilliseconds(1));

        // At T0: fit 35 + 20 x 1.5 = 65; by day 30 the intent is 30 x 0.75^(30/91.3125) = 27.29, score 62.29.
        // The rule holds through the 30th day inclusive and not a millisecond later.
        Assert.True(within.DirectRules[0].Holds);
        Assert.Equal(T0.AddDays(30), within.DirectRules[0].Until);
        Assert.False(after.DirectRules[0].Holds);
    }

    [Fact]
    public void DirectRule_DoesNotHold_BelowItsMinimumFit()
    {
        var b = _scorer.Score([Track("Appointment Requested", T0, ("properties.service_line", "implants"))], T0);

        // fit: implants 15 only, below the rule's minimum 20.
        Assert.False(b.DirectRules[0].Holds);
        Assert.Equal("fit 15 is below the rule's minimum 20", b.DirectRules[0].Explanation);
    }
}
