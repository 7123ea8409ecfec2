using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.DevStack;

/// <summary>
/// Finds what an earlier run left behind before anything starts: children listed in the PID file that still run
/// (same PID and start time, so a reused PID is not mistaken for one), and ports something else already holds.
/// Otherwise the new stack would print its banner while the old gateway answered, then die on address-in-use.
/// </summary>
internal static class StaleChildren
{
    public static IReadOnlyList<string> Find(StackLayout layout)
    {
        var problems = new List<string>();
        foreach (var (name, pid) in Running(layout))
        {
            problems.Add($"The {name} of an earlier run is still running (PID {pid}). Stop it first: kill {pid}");
        }

        foreach (var (name, port) in new[] { ("gateway", layout.GatewayPort), ("gateway admin", layout.AdminPort), ("scoring", layout.ScoringPort) })
        {
            if (!IsFree(port))
            {
                problems.Add($"Port {port} ({name}) is already in use by another process.");
            }
        }

        return problems;
    }

    /// <summary>Records the children of this run.</summary>
    public static void Record(StackLayout layout, IEnumerable<ChildService> children)
    {
        Directory.CreateDirectory(layout.Data);
        File.WriteAllLines(layout.PidFile, children.Select(c => string.Join(' ', c.Name, c.Id.ToString(CultureInfo.InvariantCulture), c.StartedAt.ToString(CultureInfo.InvariantCulture))));
    }

    public static void Forget(StackLayout layout) => File.Delete(layout.PidFile);

    private static IEnumerable<(string Name, int Pid)> Running(StackLayout layout)
    {
        if (!File.Exists(layout.PidFile))
        {
            yield break;
        }

        foreach (var line in File.ReadAllLines(layout.PidFile))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
                && IsAlive(pid, started))
            {
                yield return (parts[0], pid);
            }
        }
    }

    private static bool IsAlive(int pid, long startedTicks)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // Start times derive from the boot time, which Linux reports with some jitter: within a second is the same start.
            return !process.HasExited && Math.Abs(process.StartTime.ToUniversalTime().Ticks - startedTicks) < TimeSpan.TicksPerSecond;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
