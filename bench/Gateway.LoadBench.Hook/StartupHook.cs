using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Loaded by the runtime before <c>Main</c> when named in <c>DOTNET_STARTUP_HOOKS</c> (the type must be called
/// <c>StartupHook</c>, outside any namespace). When <c>LOADBENCH_STATS_PORT</c> is set, answers every connection on
/// that loopback port with one line: total allocated bytes, the gen0, gen1 and gen2 collection counts, then the
/// methods the JIT has compiled and the time it spent compiling them (ticks), so the benchmark can tell a warm
/// process (tiered compilation settled) from one still compiling.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact global type name.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        var port = Environment.GetEnvironmentVariable("LOADBENCH_STATS_PORT");
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, number);
        listener.Start();
        var thread = new Thread(() => Serve(listener)) { IsBackground = true, Name = "loadbench-stats" };
        thread.Start();
    }

    private static void Serve(TcpListener listener)
    {
        while (true)
        {
            using var client = listener.AcceptTcpClient();
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{GC.GetTotalAllocatedBytes(precise: true)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {System.Runtime.JitInfo.GetCompiledMethodCount()} {System.Runtime.JitInfo.GetCompilationTime().Ticks}\n");
            client.GetStream().Write(Encoding.ASCII.GetBytes(line));
        }
    }
}
