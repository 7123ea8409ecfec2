using Scoring.Engine.Scoring;

namespace Scoring.Tests.Scoring;

public class DecayTests
{
    [Theory]
    [InlineData(0.25, 1, 0.75)]
    [InlineData(0.25, 2, 0.5625)]
    [InlineData(0.20, 1, 0.80)]
    [InlineData(0.30, 3, 0.343)]
    public void Factor_AfterWholeQuarters_IsThePower(double rate, int quarters, double expected) =>
        Assert.Equal(expected, Decay.Factor(rate, quarters * Decay.Quarter), 12);

    [Fact]
    public void Quarter_Is91Point3125Days() => Assert.Equal(TimeSpan.FromDays(91.3125), Decay.Quarter);

    [Fact]
    public void Factor_IsOne_ForNoOrNegativeTime()
    {
        Assert.Equal(1, Decay.Factor(0.25, TimeSpan.Zero));
        Assert.Equal(1, Decay.Factor(0.25, TimeSpan.FromDays(-3)));
    }

    [Fact]
    public void TimeUntil_SolvesTheDecayEquation()
    {
        // 40 x 0.75^q = 25  =>  q = ln(25/40) / ln(0.75) = 1.6337606 quarters = 12,889,390.71 s.
        var span = Decay.TimeUntil(0.25, 40, 25);

        Assert.Equal(12_889_390.71, span.TotalSeconds, 2);
        Assert.Equal(TimeSpan.Zero, Decay.TimeUntil(0.25, 20, 25));
        Assert.Equal(TimeSpan.MaxValue, Decay.TimeUntil(0.25, 20, 0));
    }
}
