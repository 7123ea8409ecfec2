using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Gateway.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The README's <c>dotnet run --project src/Gateway.DevStack</c>, as a real process tree (launcher, scoring
/// service, gateway) on free ports and a temp data folder: stopping the launcher by its PID leaves no child behind,
/// children stop by themselves when the launcher is killed outright, and a stale child of an earlier run is
/// reported with its PID before anything starts.
/// </summary>
public sealed class DevStackLifecycleTests
{
    [Fact]
    public async Task Sigterm_StopsBothChildren_AndLeavesNoProcessBehind()
    {
        await using var stack = await DevStack.StartAsync();
        var children = await stack.WaitUpAsync();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.True(IsRunning(c), $"child {c} should run while the stack is up"));

        stack.Signal("TERM");
        Assert.True(await stack.WaitExitAsync(TimeSpan.FromSeconds(40)), "the launcher should exit after SIGTERM");
        Assert.All(children, c => Assert.False(IsRunning(c), $"child {c} is still running after the launcher stopped"));
        Assert.False(File.Exists(stack.PidFile), "a clean stop forgets the children");
        Assert.Contains("The stack is stopped.", stack.Output);
    }

    [Fact]
    public async Task KilledLauncher_ChildrenStopByThemselves()
    {
        await using var stack = await DevStack.StartAsync();
        var children = await stack.WaitUpAsync();

        stack.Signal("KILL");
        await Wait.UntilAsync(() => children.All(c => !IsRunning(c)), "both children to stop after their launcher was killed", 30);
    }

    [Fact]
    public async Task StaleChild_IsReportedWithItsPid_AndNothingStarts()
    {
        using var stale = Process.Start(new ProcessStartInfo("sleep", ["120"]) { UseShellExecute = false })!;
        try
        {
            var data = Path.Combine(Path.GetTempPath(), "gw-devstack", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "devstack.pids"),
                $"gateway {stale.Id} {stale.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}\n");

            await using var stack = await DevStack.StartAsync(data);
            Assert.True(await stack.WaitExitAsync(TimeSpan.FromSeconds(30)), "the launcher should refuse to start");
            Assert.Equal(2, stack.ExitCode);
            Assert.Contains($"The gateway of an earlier run is still running (PID {stale.Id})", stack.Output);
            Assert.DoesNotContain("The stack is up", stack.Output);
        }
        finally
        {
            stale.Kill();
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed class DevStack : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private DevStack(Process process, string data)
        {
            _process = process;
            PidFile = Path.Combine(data, "devstack.pids");
        }

        public string PidFile { get; }

        public string Output => string.Join('\n', _lines);

        public int ExitCode => _process.ExitCode;

        public static Task<DevStack> StartAsync(string? data = null)
        {
            data ??= Path.Combine(Path.GetTempPath(), "gw-devstack", Guid.NewGuid().ToString("N"));
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var dll = Path.Combine(RepoPaths.Root, "src", "Gateway.DevStack", "bin", configuration, "net10.0", "Gateway.DevStack.dll");
            var info = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["DEVSTACK_DATA"] = data;
            info.Environment["DEVSTACK_GATEWAY_PORT"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture);
            info.Environment["DEVSTACK_ADMIN_PORT"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture);
            info.Environment["DEVSTACK_SCORING_PORT"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture);
            var process = Process.Start(info)!;
            var stack = new DevStack(process, data);
            process.OutputDataReceived += (_, e) => stack.Add(e.Data);
            process.ErrorDataReceived += (_, e) => stack.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return Task.FromResult(stack);
        }

        /// <summary>Waits for the banner; returns the children's PIDs from the launcher's PID file.</summary>
        public async Task<IReadOnlyList<int>> WaitUpAsync()
        {
            await Wait.UntilAsync(() => Output.Contains("The stack is up", StringComparison.Ordinal) || _process.HasExited, "the DevStack banner", 120);
            Assert.False(_process.HasExited, "the DevStack exited before it was up:\n" + Output);
            return [.. File.ReadAllLines(PidFile).Select(l => int.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture))];
        }

        public void Signal(string signal)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            kill.WaitForExit();
        }

        public async Task<bool> WaitExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                Signal("TERM");
                if (!await WaitExitAsync(TimeSpan.FromSeconds(30)))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                _lines.Enqueue(line);
            }
        }
    }
}
