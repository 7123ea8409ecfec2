namespace Scoring.Service.Hosting;

/// <summary>The current time to the millisecond (what the store keeps), from the injected <see cref="TimeProvider"/>.</summary>
internal static class Clock
{
    public static DateTimeOffset Now(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
