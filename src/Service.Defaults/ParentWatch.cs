using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace Service.Defaults;

/// <summary>
/// Stops the service when the process that launched it is gone (<c>SERVICE_PARENT_PID</c>, set by the DevStack):
/// a launcher killed with SIGKILL cannot stop its children, so the children watch it. The parent's start time is
/// taken at first look, so a PID the system reuses later is not mistaken for the parent.
/// </summary>
public sealed class ParentWatch(int parentId, IHostApplicationLifetime lifetime) : BackgroundService
{
    public const string Variable = "SERVICE_PARENT_PID";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static int? ParentFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = StartTime(parentId);
        using var timer = new PeriodicTimer(Interval);
        while (started is not null && SameProcess(StartTime(parentId), started.Value) && await timer.WaitForNextTickAsync(stoppingToken))
        {
        }

        lifetime.StopApplication();
    }

    /// <summary>Start times are derived from the boot time, which Linux reports with some jitter: a second is the same start.</summary>
    public static bool SameProcess(DateTime? startTime, DateTime expected) =>
        startTime is { } actual && (actual - expected).Duration() < TimeSpan.FromSeconds(1);

    private static DateTime? StartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
