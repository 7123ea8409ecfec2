using System.Diagnostics;

namespace Gateway.DevStack;

/// <summary>
/// One service of the stack as a child process, its output prefixed with its name. The child is told the
/// launcher's PID (<c>SERVICE_PARENT_PID</c>) and stops by itself when the launcher is gone, even after a SIGKILL
/// that gave the launcher no chance to stop it. Stopping sends SIGTERM (a graceful shutdown: the audit log is
/// flushed, the last checkpoint signed), and kills the child only if it has not exited after 15 seconds.
/// </summary>
internal sealed class ChildService : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private ChildService(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The child's start time (UTC ticks): with the PID, it tells a stale child from a reused PID.</summary>
    public long StartedAt => _process.StartTime.ToUniversalTime().Ticks;

    public static ChildService Start(string name, string dll, string urls, string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{name} is not built at {dll}; run 'dotnet build' first.");
        }

        var info = new ProcessStartInfo("dotnet", [dll, "--urls", urls])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["SERVICE_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        process.OutputDataReceived += (_, e) => Write(name, e.Data);
        process.ErrorDataReceived += (_, e) => Write(name, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildService(name, process);
    }

    public async Task WaitReadyAsync(Uri readiness, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}; see its output above.");
            }

            try
            {
                if ((await client.GetAsync(readiness)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} did not become ready at {readiness}.");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            if (!OperatingSystem.IsWindows() && Terminate(_process.Id, Sigterm) == 0 && _process.WaitForExit(15_000))
            {
                _process.Dispose();
                return;
            }

            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Terminate(int pid, int signal);

    private static void Write(string name, string? line)
    {
        if (line is not null)
        {
            Console.WriteLine($"[{name}] {line}");
        }
    }
}
