namespace Gateway.Testing;

public static class Wait
{
    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {seconds}s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> (a store read) until it holds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {seconds}s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
