namespace Gateway.Server.Hosting;

/// <summary>
/// <c>Gateway.Server probe [url]</c>: asks a running instance for its readiness and exits 0 when ready, 1 when
/// not. Container health checks use it (the runtime image has no curl) against the plain-HTTP listener the
/// container keeps on loopback, so the probe never has to weaken certificate checks.
/// </summary>
internal static class HealthProbe
{
    public const string DefaultUrl = "http://127.0.0.1:8080/health/ready";

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not ["probe", ..])
        {
            return false;
        }

        var url = args.Length > 1 ? args[1] : DefaultUrl;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            exitCode = client.GetAsync(url).GetAwaiter().GetResult().IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            exitCode = 1;
        }

        return true;
    }
}
