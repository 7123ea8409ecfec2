using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Gateway.LoadBench;

/// <summary>What a closed- or open-loop run observed from the client side.</summary>
internal sealed record DriverResult(long Requests, long Failures, double Seconds, double[] LatenciesMs)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>Nearest-rank percentile of the recorded latencies (sorted; no histogram approximation).</summary>
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * LatenciesMs.Length);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Length - 1)];
    }
}

/// <summary>
/// The load driver: one HTTP/1.1 client per target with exactly <c>connections</c> pooled connections,
/// pre-serialized bodies, HTTP Basic auth with the write key as user name (Segment's scheme).
/// </summary>
internal sealed class LoadDriver : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _address;
    private readonly AuthenticationHeaderValue _authorization;

    public LoadDriver(Uri address, string writeKey, int connections)
    {
        _address = address;
        Connections = connections;
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(writeKey + ":")));
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Connections { get; }

    /// <summary>Failed requests so far, by status code or exception type.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Failures { get; } = new();

    /// <summary>Closed loop: <see cref="Connections"/> workers, each sending its next request as soon as the last one is answered.</summary>
    public async Task<DriverResult> ClosedLoopAsync(PayloadSet payloads, TimeSpan duration)
    {
        long requests = 0;
        long failures = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration)
            {
                if (await SendAsync(payloads))
                {
                    Interlocked.Increment(ref requests);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new DriverResult(requests, failures, watch.Elapsed.TotalSeconds, []);
    }

    /// <summary>
    /// Open loop at a constant offered rate: request i is sent at i/rate whether or not earlier ones are answered
    /// (a dedicated thread issues them, so a slow answer never delays the next request), and its latency counts from
    /// when it was issued, including any wait for one of the <see cref="Connections"/> connections.
    /// </summary>
    public Task<DriverResult> OpenLoopAsync(PayloadSet payloads, double rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var ok = new bool[total];
        var pending = new Task[total];
        var done = new TaskCompletionSource<DriverResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduler = new Thread(() =>
        {
            var ticksPerRequest = Stopwatch.Frequency / rate;
            var start = Stopwatch.GetTimestamp();
            var issued = 0;
            while (issued < total)
            {
                var due = Math.Min(total, (int)((Stopwatch.GetTimestamp() - start) / ticksPerRequest) + 1);
                for (; issued < due; issued++)
                {
                    pending[issued] = TimedAsync(payloads, latencies, ok, issued);
                }

                if (issued < total)
                {
                    Thread.Sleep(1);
                }
            }

            Task.WhenAll(pending).ContinueWith(_ =>
            {
                var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                var failures = ok.LongCount(o => !o);
                var recorded = latencies.Where((_, i) => ok[i]).ToArray();
                Array.Sort(recorded);
                done.SetResult(new DriverResult(total - failures, failures, seconds, recorded));
            }, TaskScheduler.Default);
        })
        { IsBackground = true, Name = "open-loop" };
        scheduler.Start();
        return done.Task;
    }

    private async Task TimedAsync(PayloadSet payloads, double[] latencies, bool[] ok, int index)
    {
        var issuedAt = Stopwatch.GetTimestamp();
        await Task.Yield();
        ok[index] = await SendAsync(payloads);
        latencies[index] = Stopwatch.GetElapsedTime(issuedAt).TotalMilliseconds;
    }

    private async Task<bool> SendAsync(PayloadSet payloads)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, payloads.Path))
        {
            Content = new ByteArrayContent(payloads.Next()),
            Version = HttpVersion.Version11,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _authorization;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            Failures.AddOrUpdate("status " + (int)response.StatusCode, 1, (_, n) => n + 1);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Failures.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}
