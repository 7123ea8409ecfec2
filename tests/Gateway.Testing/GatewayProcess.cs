using System.Diagnostics;
using System.Net.Sockets;

namespace Gateway.Testing;

/// <summary>
/// The gateway as its own OS process (<c>dotnet Gateway.Server.dll</c>), configured through environment
/// variables, so tests can kill it with SIGKILL and start it again on the same data folder.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The checkpoint signing key a test gateway on <paramref name="dataPath"/> uses: beside its data folder, not in it.</summary>
    public static string CheckpointKeyFileFor(string dataPath) =>
        Path.Combine(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataPath)) + "-checkpoint-key", "audit-checkpoint.pem");

    /// <param name="urls">Extra URLs to listen on besides the main port (e.g. an admin port).</param>
    /// <param name="workingDirectory">Where the process starts (default: the gateway's own folder).</param>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, int port, TimeSpan? readyTimeout = null, string? urls = null, string? workingDirectory = null)
    {
        var directory = AppContext.BaseDirectory;
        var listen = $"http://127.0.0.1:{port}" + (urls is null ? string.Empty : ";" + urls);
        var info = new ProcessStartInfo("dotnet", [Path.Combine(directory, "Gateway.Server.dll"), "--urls", listen])
        {
            WorkingDirectory = workingDirectory ?? directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        if (!settings.ContainsKey("Gateway:Audit:Checkpoints:SigningKeyFile") && settings.TryGetValue("Gateway:DataPath", out var dataPath) && dataPath is not null)
        {
            // Outside Development the gateway needs its checkpoint signing key outside its data folder.
            info.Environment["Gateway__Audit__Checkpoints__SigningKeyFile"] = CheckpointKeyFileFor(dataPath);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("The gateway process did not start.");
        var gatewayOutput = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is not null)
            {
                gatewayOutput.Enqueue(line);
                while (gatewayOutput.Count > 40 && gatewayOutput.TryDequeue(out _))
                {
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, port) { _output = gatewayOutput };
        await gateway.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(60));
        return gateway;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; whatever was not durable is lost.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: a graceful shutdown (the outbox worker stops, the audit log flushes, the last checkpoint is signed).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>
    /// A loopback port that is free now, chosen below the kernel's ephemeral range. A process started on it binds it a
    /// second or more later (and a restarted one binds it again): a port from the ephemeral range could meanwhile be
    /// handed to any server a parallel test starts on port 0, whose answers the test would then read as the gateway's.
    /// </summary>
    public static int FreePort()
    {
        var below = EphemeralRangeStart();
        for (var attempt = 0; attempt < 200 && below > 10_000; attempt++)
        {
            var port = Random.Shared.Next(10_000, below);
            try
            {
                using var probe = new TcpListener(System.Net.IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // In use: try another.
            }
        }

        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway process exited with code {_process.ExitCode} before it was ready. Its last output:\n{string.Join('\n', _output)}");
            }

            try
            {
                var ready = await client.GetAsync("/health/ready");
                var body = await ready.Content.ReadAsStringAsync();

                // The gateway's own readiness document, not just any 200 from whatever holds the port.
                if (ready.IsSuccessStatusCode && body.Contains("\"status\":\"ready\"", StringComparison.Ordinal))
                {
                    return;
                }

                last = $"{(int)ready.StatusCode} {body}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException)
            {
                last = "readiness did not answer within 10 s";
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The gateway process did not become ready (last: {last}). Its last output:\n{string.Join('\n', _output)}");
    }
}
