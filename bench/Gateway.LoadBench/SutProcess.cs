using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Gateway.LoadBench;

/// <summary>GC and JIT counters of a process (or their change over a measurement).</summary>
internal readonly record struct GcSnapshot(long AllocatedBytes, int Gen0, int Gen1, int Gen2, long JitMethods, TimeSpan JitTime)
{
    public GcSnapshot Since(GcSnapshot before) => new(AllocatedBytes - before.AllocatedBytes, Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2,
        JitMethods - before.JitMethods, JitTime - before.JitTime);
}

/// <summary>
/// A process the benchmark starts (<c>dotnet some.dll</c>, Release build), pinned with <c>taskset</c> to one core
/// when a core is given, with its output going to a log file and the GC startup hook injected.
/// </summary>
internal sealed class SutProcess : IAsyncDisposable
{
    private static readonly Lazy<long> ClockTicks = new(() =>
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = getconf.StandardOutput.ReadToEnd().Trim();
        getconf.WaitForExit();
        return long.TryParse(text, CultureInfo.InvariantCulture, out var ticks) ? ticks : 100;
    });

    private static readonly List<Process> Started = [];

    private readonly Process _process;
    private readonly int _statsPort;
    private bool _disposed;

    private SutProcess(string name, Process process, Uri address, int statsPort, string? core)
    {
        Name = name;
        _process = process;
        Address = address;
        _statsPort = statsPort;
        Core = core;
    }

    public string Name { get; }

    public Uri Address { get; }

    public string? Core { get; }

    public int Pid => _process.Id;

    public static async Task<SutProcess> StartAsync(
        string name, string dll, IEnumerable<string> arguments, int port, string? core, string hook, string log,
        string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var statsPort = FreePort();
        // sh and taskset both exec, so the process id is the dotnet process's.
        var command = new List<string> { "-c", "exec \"$@\" >\"$LOADBENCH_LOG\" 2>&1", "sh" };
        if (core is not null)
        {
            command.AddRange(["taskset", "-c", core]);
        }

        command.AddRange(["dotnet", dll]);
        command.AddRange(arguments);
        var info = new ProcessStartInfo("/bin/sh", command) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.Environment["LOADBENCH_LOG"] = log;
        info.Environment["LOADBENCH_STATS_PORT"] = statsPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["DOTNET_STARTUP_HOOKS"] = hook;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        lock (Started)
        {
            Started.Add(process);
        }

        var sut = new SutProcess(name, process, new Uri($"http://127.0.0.1:{port}"), statsPort, core);
        await sut.WaitReadyAsync(log);
        return sut;
    }

    /// <summary>User + system CPU seconds the process has used so far (/proc/&lt;pid&gt;/stat, utime + stime).</summary>
    // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
    public double CpuSeconds() => CpuSecondsOf(Pid);

    /// <summary>CPU seconds of a process by id (utime + stime), 0 when it is gone.</summary>
    public static double CpuSecondsOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / (double)ClockTicks.Value;
    }

    /// <summary>Busy CPU seconds of the whole machine so far (/proc/stat: everything but idle and iowait).</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (var i = 1; i < fields.Length && i <= 8; i++)
        {
            if (i is not (4 or 5))
            {
                busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }
        }

        return busy / (double)ClockTicks.Value;
    }

    public async Task<GcSnapshot> GcAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _statsPort);
        using var reader = new StreamReader(client.GetStream());
        var parts = (await reader.ReadLineAsync())!.Split(' ');
        return new GcSnapshot(
            long.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture),
            long.Parse(parts[4], CultureInfo.InvariantCulture), TimeSpan.FromTicks(long.Parse(parts[5], CultureInfo.InvariantCulture)));
    }

    /// <summary>Kills every process still running that the benchmark started (on Ctrl+C or SIGTERM of the benchmark).</summary>
    public static void KillAll()
    {
        lock (Started)
        {
            foreach (var process in Started)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill();
                    }
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitReadyAsync(string log)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; see {log}.");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    await GcAsync();
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            catch (SocketException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} was not ready after 90 s; see {log}.");
    }

    /// <summary>SIGTERM (the gateway flushes its audit log and signs a last checkpoint), SIGKILL after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                await kill!.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
