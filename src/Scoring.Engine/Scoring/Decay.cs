namespace Scoring.Engine.Scoring;

/// <summary>
/// Continuous exponential decay of intent. A signal worth <c>p</c> points at its own time <c>t_i</c> is worth
/// <c>p × (1 − r)^((t − t_i) / Q)</c> at time <c>t</c>, where <c>r</c> is the vertical's rate per quarter and
/// <c>Q</c> = 91.3125 days (a quarter of a 365.25-day year). Because every signal decays by the same factor over
/// the same interval, a lead's whole intent score falls by exactly <c>(1 − r)^(Δ/Q)</c> over Δ without
/// engagement: 25% per quarter of inactivity at the default rate. A new minor signal does not restore old ones.
/// </summary>
public static class Decay
{
    /// <summary>91.3125 days = 7,889,400 seconds.</summary>
    public static readonly TimeSpan Quarter = TimeSpan.FromSeconds(7_889_400);

    /// <summary>The factor a signal keeps after <paramref name="elapsed"/> (1 for no or negative time).</summary>
    public static double Factor(double ratePerQuarter, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 1 : Math.Pow(1 - ratePerQuarter, Quarters(elapsed));

    public static double Quarters(TimeSpan elapsed) => elapsed.Ticks / (double)Quarter.Ticks;

    /// <summary>
    /// How long until <paramref name="points"/> decays to <paramref name="target"/>; zero when it is already at or
    /// below it, <see cref="TimeSpan.MaxValue"/> when it never gets there (target not positive).
    /// </summary>
    public static TimeSpan TimeUntil(double ratePerQuarter, double points, double target)
    {
        if (points <= target)
        {
            return TimeSpan.Zero;
        }

        if (target <= 0)
        {
            return TimeSpan.MaxValue;
        }

        var quarters = Math.Log(target / points) / Math.Log(1 - ratePerQuarter);
        var ticks = quarters * Quarter.Ticks;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Floor(ticks));
    }
}
