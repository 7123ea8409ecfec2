using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.LoadBench;

/// <summary>The suite's knobs; <see cref="Quick"/> shortens every phase.</summary>
internal sealed record SuiteOptions(bool Quick, int Rounds, TimeSpan Duration, TimeSpan Warmup, TimeSpan WarmupLimit, TimeSpan LatencyDuration, TimeSpan Steady, int Connections, string? AuditVerify, bool Keep, string[]? Payloads, bool SkipLatency, string? GatewayDll, string? Postgres = null, string? BaselineDll = null)
{
    public static SuiteOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new SuiteOptions(
            quick,
            Rounds: int.Parse(Option("--rounds") ?? (quick ? "2" : "3"), CultureInfo.InvariantCulture),
            Duration: TimeSpan.FromSeconds(double.Parse(Option("--duration") ?? (quick ? "3" : "8"), CultureInfo.InvariantCulture)),
            Warmup: TimeSpan.FromSeconds(double.Parse(Option("--warmup") ?? (quick ? "2" : "6"), CultureInfo.InvariantCulture)),
            WarmupLimit: TimeSpan.FromSeconds(double.Parse(Option("--warmup-limit") ?? (quick ? "120" : "240"), CultureInfo.InvariantCulture)),
            LatencyDuration: TimeSpan.FromSeconds(quick ? 4 : 10),
            Steady: TimeSpan.FromSeconds(double.Parse(Option("--steady") ?? (quick ? "15" : "60"), CultureInfo.InvariantCulture)),
            Connections: int.Parse(Option("--connections") ?? "32", CultureInfo.InvariantCulture),
            AuditVerify: Option("--audit-verify"),
            Keep: args.Contains("--keep"),
            SkipLatency: args.Contains("--skip-latency"),
            GatewayDll: Option("--gateway-dll") is { } dll ? Path.GetFullPath(dll) : null,
            Payloads: Option("--payloads")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Postgres: Option("--postgres"),
            BaselineDll: Option("--baseline-dll") is { } baseline ? Path.GetFullPath(baseline) : null);
    }
}

/// <summary>
/// Runs the end-to-end suite: starts the upstream, bare YARP and the gateway (durable and no-sync audit) as their
/// own processes, warms them up, measures interleaved rounds (every system once per round, same payloads, same
/// connection count), then latency at a fixed offered rate and a steady run, and writes the report.
/// </summary>
internal sealed class Suite
{
    private const string Direct = "direct";
    private const string Yarp = "yarp";
    private const string Gateway = "gateway";
    private const string GatewayNoSync = "gateway-nosync";
    private const string GatewayBaseline = "gateway-baseline";
    private const string Practice = "bench-dental";
    private const string WriteKey = "wk_bench_dental_0123456789abcdef";
    private const string AdminKey = "admin-key-for-the-load-benchmark-0123456789";

    private readonly SuiteOptions _options;

    /// <summary>Every system measured, in the order of each round; with --baseline-dll, another build of the gateway too.</summary>
    private readonly string[] _systems;
    private readonly string _root;
    private readonly string _results;
    private readonly StringWriter _report = new();
    private readonly List<Measurement> _throughput = [];
    private readonly List<(Measurement Measurement, double Rate)> _latency = [];
    private readonly Dictionary<string, (TimeSpan Took, bool Settled)> _warmups = [];

    /// <summary>Warm means the JIT spent at most this share of a warm-up pass compiling.</summary>
    private const double WarmJitShare = 0.01;

    public Suite(SuiteOptions options, string root)
    {
        _options = options;
        _systems = options.BaselineDll is null ? [Direct, Yarp, Gateway, GatewayNoSync] : [Direct, Yarp, Gateway, GatewayNoSync, GatewayBaseline];
        _root = root;
        _results = Path.Combine(root, "bench", "results");
    }

    public async Task<int> RunAsync()
    {
        ThreadPool.SetMinThreads(64, 64);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var work = Path.Combine(_results, "tmp", stamp);
        Directory.CreateDirectory(work);
        var cores = Environment.ProcessorCount;
        string? sutCore = null;
        string? driverCore = null;
        if (cores >= 2 && OperatingSystem.IsLinux() && File.Exists("/usr/bin/taskset"))
        {
            sutCore = "1";
            driverCore = "0";
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }

        WriteMachine(cores, sutCore is not null);
        var hook = Path.Combine(AppContext.BaseDirectory, "Gateway.LoadBench.Hook.dll");
        var self = Path.Combine(AppContext.BaseDirectory, "Gateway.LoadBench.dll");
        var gatewayDll = _options.GatewayDll ?? Path.Combine(_root, "src", "Gateway.Server", "bin", "Release", "net10.0", "Gateway.Server.dll");
        if (!File.Exists(gatewayDll))
        {
            throw new InvalidOperationException($"{gatewayDll} is missing: build src/Gateway.Server in Release first (bench/run.sh does).");
        }

        var payloads = new[] { 0, 10, 50, 100 }.Where(n => _options.Payloads is null || _options.Payloads.Contains(n == 0 ? "single" : "batch-" + n)).Select(n => PayloadSet.Create(Path.Combine(_root, "policies", "dental"), n)).ToArray();
        foreach (var set in payloads)
        {
            set.Validate();
        }

        Line($"Payloads: events from policies/dental/fixtures (track and page events the policy forwards), {PayloadSet.Subjects} subjects with analytics consent, distinct messageIds; "
            + string.Join(", ", payloads.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Path} {p.AverageRequestBytes / 1024:N1} KB/request ({p.AverageEventBytes:N0} B/event)"))));
        Line($"Connections: {_options.Connections} (HTTP/1.1 keep-alive). Throughput: closed loop, {_options.Rounds} interleaved rounds of {_options.Duration.TotalSeconds:N0} s per system and payload after warm-up (below).");
        Line();

        var upstreamPort = SutProcess.FreePort();
        await using var upstream = await SutProcess.StartAsync("upstream", self, ["upstream", "--port", Invariant(upstreamPort)], upstreamPort, driverCore, hook, Path.Combine(work, "upstream.log"), AppContext.BaseDirectory, new Dictionary<string, string>());
        var yarpPort = SutProcess.FreePort();
        await using var yarp = await SutProcess.StartAsync(Yarp, self, ["yarp", "--port", Invariant(yarpPort), "--upstream", upstream.Address.ToString()], yarpPort, sutCore, hook, Path.Combine(work, "yarp.log"), AppContext.BaseDirectory, new Dictionary<string, string>());
        await using var gateway = await StartGatewayAsync(Gateway, gatewayDll, sync: true, upstream.Address, sutCore, hook, work);
        await using var nosync = await StartGatewayAsync(GatewayNoSync, gatewayDll, sync: false, upstream.Address, sutCore, hook, work);
        await using var baseline = _options.BaselineDll is { } baselineDll ? await StartGatewayAsync(GatewayBaseline, baselineDll, sync: true, upstream.Address, sutCore, hook, work) : null;
        using var upstreamStats = new HttpClient { BaseAddress = upstream.Address };
        var targets = new Dictionary<string, (SutProcess Process, LoadDriver Driver)>
        {
            [Direct] = (upstream, new LoadDriver(upstream.Address, WriteKey, _options.Connections)),
            [Yarp] = (yarp, new LoadDriver(yarp.Address, WriteKey, _options.Connections)),
            [Gateway] = (gateway, new LoadDriver(gateway.Address, WriteKey, _options.Connections)),
            [GatewayNoSync] = (nosync, new LoadDriver(nosync.Address, WriteKey, _options.Connections)),
        };
        if (baseline is not null)
        {
            targets[GatewayBaseline] = (baseline, new LoadDriver(baseline.Address, WriteKey, _options.Connections));
        }

        Line($"Processes: upstream pid {upstream.Pid} (core {upstream.Core ?? "any"}), yarp pid {yarp.Pid}, gateway pid {gateway.Pid}, gateway-nosync pid {nosync.Pid}{(baseline is null ? string.Empty : $", gateway-baseline pid {baseline.Pid} ({_options.BaselineDll})")} (core {sutCore ?? "any"}), driver pid {Environment.ProcessId} (core {driverCore ?? "any"}).");
        Line("For 'direct' the measured process (CPU, allocations) is the upstream itself, on the driver's core.");
        Line();

        async Task<Measurement> MeasureAsync(string system, PayloadSet payload, int round, Func<LoadDriver, Task<DriverResult>> run)
        {
            var (process, driver) = targets[system];
            var (requestsBefore, eventsBefore) = await UpstreamCountsAsync(upstreamStats);
            var gcBefore = await process.GcAsync();
            var cpuBefore = process.CpuSeconds();
            var oursBefore = OwnCpuSeconds();
            var machineBefore = SutProcess.MachineBusySeconds();
            driver.Failures.Clear();
            var result = await run(driver);
            if (!driver.Failures.IsEmpty)
            {
                Line($"  {system} {payload.Name}: failed requests: {string.Join(", ", driver.Failures.Select(f => $"{f.Key} x{f.Value}"))}");
            }

            var machineAfter = SutProcess.MachineBusySeconds();
            var oursAfter = OwnCpuSeconds();
            var cpuAfter = process.CpuSeconds();
            var gcAfter = await process.GcAsync();
            var (requestsAfter, eventsAfter) = await UpstreamCountsAsync(upstreamStats);
            return new Measurement(system, payload.Name, round, payload.EventsPerRequest, result, cpuAfter - cpuBefore,
                gcAfter.Since(gcBefore),
                requestsAfter - requestsBefore, eventsAfter - eventsBefore, Math.Max(0, (machineAfter - machineBefore) - (oursAfter - oursBefore)));
        }

        double OwnCpuSeconds() => SutProcess.CpuSecondsOf(Environment.ProcessId) + upstream.CpuSeconds() + yarp.CpuSeconds() + gateway.CpuSeconds() + nosync.CpuSeconds() + (baseline?.CpuSeconds() ?? 0);

        Line("## Warm-up");
        Line(Invariant($"Each system runs every payload for {_options.Warmup.TotalSeconds:N0} s per pass, pass after pass, until tiered compilation has settled: two passes in a row in which the JIT spent at most {WarmJitShare:P0} of the pass's time compiling (at most {_options.WarmupLimit.TotalSeconds:N0} s of passes in all)."));
        foreach (var system in _systems)
        {
            var warming = Stopwatch.StartNew();
            var quietPasses = 0;
            for (var pass = 1; ; pass++)
            {
                var jitBefore = await targets[system].Process.GcAsync();
                var passClock = Stopwatch.StartNew();
                foreach (var payload in payloads)
                {
                    var warm = await MeasureAsync(system, payload, 0, d => d.ClosedLoopAsync(payload, _options.Warmup));
                    Line(Invariant($"  {system,-15} pass {pass,2} {payload.Name,-10} {warm.RequestsPerSecond,10:N0} req/s  jit {warm.Gc.JitMethods,5:N0} methods {warm.Gc.JitTime.TotalMilliseconds,7:N0} ms  failures {warm.Driver.Failures}  forwarded {warm.UpstreamEvents}/{warm.SentEvents} events"));
                }

                var jit = (await targets[system].Process.GcAsync()).Since(jitBefore);
                var share = jit.JitTime / passClock.Elapsed;
                quietPasses = share <= WarmJitShare ? quietPasses + 1 : 0;
                if (quietPasses == 2 || warming.Elapsed >= _options.WarmupLimit)
                {
                    var settled = quietPasses == 2;
                    _warmups[system] = (warming.Elapsed, settled);
                    Line(Invariant($"  {system,-15} {(settled ? "settled" : "NOT settled")} after {pass} passes, {warming.Elapsed.TotalSeconds:N0} s: JIT {share:P1} of the last pass ({jit.JitMethods:N0} methods)"));
                    break;
                }
            }
        }

        Line();
        Line("## Throughput (closed loop)");
        for (var round = 1; round <= _options.Rounds; round++)
        {
            foreach (var payload in payloads)
            {
                foreach (var system in _systems)
                {
                    var m = await MeasureAsync(system, payload, round, d => d.ClosedLoopAsync(payload, _options.Duration));
                    _throughput.Add(m);
                    Line(Invariant($"  round {round} {system,-15} {payload.Name,-10} {m.RequestsPerSecond,9:N0} req/s {m.EventsPerSecond,10:N0} ev/s  cpu {m.CpuMicrosecondsPerRequest,7:N1} us/req  cores {m.CoresUsed:N2}  alloc {m.AllocatedBytesPerRequest / 1024,8:N1} KB/req  gen0/1/2 {m.Gc.Gen0}/{m.Gc.Gen1}/{m.Gc.Gen2}  jit {m.Gc.JitMethods:N0}/{m.Gc.JitTime.TotalMilliseconds:N0} ms  forwarded {m.UpstreamEvents}/{m.SentEvents}  other {m.ForeignCores:N2} cores{(m.Valid ? string.Empty : "  INVALID")}"));
                }
            }
        }

        Line();
        Line("## Latency (open loop, constant rate = half the gateway's median closed-loop capacity)");
        foreach (var payload in payloads.Where(p => !_options.SkipLatency && p.Name is "single" or "batch-50"))
        {
            var rate = Math.Max(10, Math.Round(Median(_throughput.Where(m => m.System == Gateway && m.Payload == payload.Name).Select(m => m.RequestsPerSecond)) / 2));
            for (var round = 1; round <= _options.Rounds; round++)
            {
                foreach (var system in new[] { Yarp, Gateway })
                {
                    var m = await MeasureAsync(system, payload, round, d => d.OpenLoopAsync(payload, rate, _options.LatencyDuration));
                    _latency.Add((m, rate));
                    Line(Invariant($"  round {round} {system,-15} {payload.Name,-10} {rate,7:N0} req/s offered  p50 {m.Driver.Percentile(50),7:N3} ms  p99 {m.Driver.Percentile(99),7:N3} ms  p99.9 {m.Driver.Percentile(99.9),7:N3} ms  cores {m.CoresUsed:N2}  forwarded {m.UpstreamEvents}/{m.SentEvents}  other {m.ForeignCores:N2} cores{(m.Valid ? string.Empty : "  INVALID")}"));
                }
            }
        }

        Line();
        var steadyPayload = payloads.FirstOrDefault(p => p.Name == "batch-50") ?? payloads[0];
        Line($"## Steady run: gateway, {steadyPayload.Name}, closed loop, {_options.Steady.TotalSeconds:N0} s{(_options.Quick ? " (--quick: shortened from 60 s)" : string.Empty)}");
        var steady = await MeasureAsync(Gateway, steadyPayload, 0, d => d.ClosedLoopAsync(steadyPayload, _options.Steady));
        Line(Invariant($"  {steady.RequestsPerSecond:N0} req/s  {steady.EventsPerSecond:N0} ev/s  gen0/1/2 {steady.Gc.Gen0}/{steady.Gc.Gen1}/{steady.Gc.Gen2}  alloc {steady.AllocatedBytesPerRequest / 1024:N1} KB/req  forwarded {steady.UpstreamEvents}/{steady.SentEvents}  other {steady.ForeignCores:N2} cores{(steady.Valid ? string.Empty : "  INVALID")}"));
        Line();

        foreach (var (_, driver) in targets.Values)
        {
            driver.Dispose();
        }

        var auditBytes = Directory.EnumerateFiles(Path.Combine(work, Gateway, "audit"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Line(Invariant($"Gateway audit written: {auditBytes / 1048576.0:N0} MiB in {Path.Combine(work, Gateway, "audit")}{(_options.Keep ? string.Empty : " (deleted after the run)")}."));
        Line();
        var valid = WriteTables(steady);
        var name = (_options.Quick ? "e2e-quick-" : "e2e-full-") + stamp;
        await File.WriteAllTextAsync(Path.Combine(_results, name + ".md"), _report.ToString());
        await File.WriteAllTextAsync(Path.Combine(_results, name + ".json"), JsonSerializer.Serialize(
            new { throughput = _throughput.Select(Raw), latency = _latency.Select(l => new { rate = l.Rate, measurement = Raw(l.Measurement) }), steady = Raw(steady) },
            new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Report: bench/results/{name}.md (raw figures: {name}.json)");
        await gateway.DisposeAsync();
        await nosync.DisposeAsync();
        if (baseline is not null)
        {
            await baseline.DisposeAsync();
        }

        if (!_options.Keep)
        {
            Directory.Delete(work, recursive: true);
        }

        return valid ? 0 : 1;
    }

    private static object Raw(Measurement m) => new
    {
        m.System, m.Payload, m.Round, m.EventsPerRequest, m.Driver.Requests, m.Driver.Failures, m.Driver.Seconds,
        m.RequestsPerSecond, m.EventsPerSecond, m.CpuSeconds, m.CpuMicrosecondsPerRequest, m.CoresUsed, m.AllocatedBytesPerRequest,
        m.Gc.Gen0, m.Gc.Gen1, m.Gc.Gen2, m.Gc.JitMethods, JitMilliseconds = m.Gc.JitTime.TotalMilliseconds, m.UpstreamRequests, m.UpstreamEvents, m.Valid,
        p50 = m.Driver.LatenciesMs.Length > 0 ? m.Driver.Percentile(50) : (double?)null,
        p99 = m.Driver.LatenciesMs.Length > 0 ? m.Driver.Percentile(99) : (double?)null,
    };

    private async Task<SutProcess> StartGatewayAsync(string name, string dll, bool sync, Uri upstream, string? core, string hook, string work)
    {
        var data = Path.Combine(work, name);
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string>
        {
            ["Gateway:PoliciesPath"] = Path.Combine(_root, "policies"),
            ["Gateway:DataPath"] = data,
            ["Gateway:InstanceId"] = name,
            ["Gateway:Audit:SyncToDisk"] = sync ? "true" : "false",
            // Outside Development the checkpoint signing key must live apart from the data and audit folders.
            ["Gateway:Audit:Checkpoints:SigningKeyFile"] = Path.Combine(work, name + "-checkpoint-signing.pem"),
            ["Gateway:Forwarding:Token"] = "bench-forwarding-token-0123456789abcdef",
            // The default 100 requests/s per write key would cap every scenario; the benchmark measures the pipeline.
            ["Gateway:RateLimit:Enabled"] = "false",
            ["Gateway:Practices:0:Id"] = Practice,
            ["Gateway:Practices:0:Vertical"] = "dental",
            ["Gateway:Practices:0:WriteKeySha256:0"] = Sha256(WriteKey),
            ["Gateway:Practices:0:PseudonymKeys:0:Id"] = "bench-1",
            ["Gateway:Practices:0:PseudonymKeys:0:Secret"] = Convert.ToBase64String(SHA256.HashData("load-benchmark-pseudonym-secret"u8)),
            ["Gateway:Practices:0:PseudonymKeys:0:Active"] = "true",
            ["Gateway:Practices:0:ServiceArea:0"] = "021",
            ["Gateway:Practices:0:ServiceArea:1"] = "606",
            ["Gateway:Admin:Keys:0:Name"] = "bench-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = Sha256(AdminKey),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = upstream.ToString(),
        };
        if (_options.Postgres is { } postgres)
        {
            // The stores (consent, BAA, outbox, quarantine, message ids) in PostgreSQL, a fresh schema per system and run;
            // the audit log, its checkpoints and the Data Protection keys stay in files as in a one-instance install.
            settings["Gateway:Storage:Provider"] = "postgres";
            settings["Gateway:Storage:Postgres:ConnectionString"] = postgres;
            settings["Gateway:Storage:Postgres:Schema"] = $"bench_{name.Replace('-', '_')}_{DateTime.UtcNow:HHmmss}";
        }

        var port = SutProcess.FreePort();
        var binaries = Path.GetDirectoryName(dll)!;
        // Settings go on the command line: sh drops environment variables whose names are not identifiers ("scoring-1").
        string[] arguments = ["--urls", $"http://127.0.0.1:{Invariant(port)}", .. settings.Select(s => $"--{s.Key}={s.Value}")];
        var process = await SutProcess.StartAsync(name, dll, arguments, port, core, hook, Path.Combine(work, name + ".log"), binaries, new Dictionary<string, string>());
        using var admin = new HttpClient { BaseAddress = process.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var baa = new StringContent(new JsonObject
        {
            ["destination"] = "scoring",
            ["effectiveFrom"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O", CultureInfo.InvariantCulture),
            ["documentReference"] = "bench/baa-scoring.pdf",
            ["covers"] = new JsonArray("pseudonymous-id", "token", "redacted-text", "contact", "network", "url", "date", "phi"),
        }.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await admin.PostAsync($"/admin/v1/practices/{Practice}/baa", baa);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Recording the BAA on {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return process;
    }

    private static async Task<(long Requests, long Events)> UpstreamCountsAsync(HttpClient client)
    {
        var parts = (await client.GetStringAsync("/stats")).Split(' ');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private void WriteMachine(int cores, bool pinned)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        var model = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : System.Runtime.InteropServices.RuntimeInformation.OSDescription;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Line($"# Gateway end-to-end benchmark ({(_options.Quick ? "--quick" : "full")}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line();
        Line($"Machine: {model}, {cores} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, kernel {kernel}, load average at start {load}");
        Line(_options.Postgres is null
            ? "Stores: SQLite (the default), in each gateway's data folder."
            : "Stores: PostgreSQL (--postgres), one schema per gateway; the PostgreSQL server is not pinned and its CPU is not in the gateway's CPU figures.");
        Line(pinned
            ? "Pinning: each system under test (yarp and the gateways) on core 1 (taskset -c 1); load driver and upstream on core 0."
            : "Pinning: NOT pinned (fewer than 2 cores or no taskset): driver, upstream and system under test share the cores.");
    }

    private bool WriteTables(Measurement steady)
    {
        Line("## Throughput per scenario (median of rounds; min-max in brackets)");
        Line();
        Line("| payload | system | requests/s | events/s | vs yarp | CPU us/request | SUT cores used | alloc KB/request | Gen2 (all rounds) | valid |");
        Line("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var payload in _throughput.Select(m => m.Payload).Distinct())
        {
            foreach (var system in _systems)
            {
                var runs = _throughput.Where(m => m.Payload == payload && m.System == system).ToArray();
                var ratios = Ratios(payload, system, Yarp);
                Line(Invariant($"| {payload} | {system} | {Spread(runs.Select(m => m.RequestsPerSecond), "N0")} | {Spread(runs.Select(m => m.EventsPerSecond), "N0")} | {Spread(ratios, "N2")} | {Median(runs.Select(m => m.CpuMicrosecondsPerRequest)):N1} | {Median(runs.Select(m => m.CoresUsed)):N2} | {Median(runs.Select(m => m.AllocatedBytesPerRequest)) / 1024:N1} | {runs.Sum(m => m.Gc.Gen2)} | {(runs.All(m => m.Valid) ? "yes" : "NO")} |"));
            }
        }

        if (_options.BaselineDll is not null)
        {
            Line();
            Line($"## Against the baseline build (gateway / gateway-baseline, both with fsync, same rounds; baseline: {_options.BaselineDll})");
            Line();
            Line("| payload | CPU per request | allocated per request | requests/s |");
            Line("|---|---|---|---|");
            foreach (var payload in _throughput.Select(m => m.Payload).Distinct())
            {
                Line($"| {payload} | {Spread(PerRound(payload, m => m.CpuMicrosecondsPerRequest), "N3")} | {Spread(PerRound(payload, m => m.AllocatedBytesPerRequest), "N3")} | {Spread(Ratios(payload, Gateway, GatewayBaseline), "N3")} |");
            }
        }

        Line();
        Line("## Latency at a fixed offered rate (median of rounds; min-max in brackets)");
        Line();
        Line("| payload | rate req/s | yarp p50 ms | yarp p99 ms | gateway p50 ms | gateway p99 ms | added p50 ms | added p99 ms |");
        Line("|---|---|---|---|---|---|---|---|");
        foreach (var payload in _latency.Select(l => l.Measurement.Payload).Distinct())
        {
            var (p50, p99) = AddedLatency(payload);
            var yarp = _latency.Where(l => l.Measurement.Payload == payload && l.Measurement.System == Yarp).Select(l => l.Measurement).ToArray();
            var gateway = _latency.Where(l => l.Measurement.Payload == payload && l.Measurement.System == Gateway).Select(l => l.Measurement).ToArray();
            Line(Invariant($"| {payload} | {_latency.First(l => l.Measurement.Payload == payload).Rate:N0} | {Spread(yarp.Select(m => m.Driver.Percentile(50)), "N3")} | {Spread(yarp.Select(m => m.Driver.Percentile(99)), "N3")} | {Spread(gateway.Select(m => m.Driver.Percentile(50)), "N3")} | {Spread(gateway.Select(m => m.Driver.Percentile(99)), "N3")} | {Spread(p50, "N3")} | {Spread(p99, "N3")} |"));
        }

        Line();
        Line("## Targets (issue #8)");
        Line();
        Line("| target | measured (median; min-max over rounds) | result |");
        Line("|---|---|---|");
        var single = Ratios("single", Gateway, Yarp);
        Target("gateway throughput >= 0.75x bare YARP, single events, 32 connections", Spread(single, "N2") + "x", Median(single) >= 0.75);
        var perCore = _throughput.Where(m => m.System == Gateway && m.Payload == "batch-50").Select(m => m.EventsPerCoreSecond).ToArray();
        Target("batched ingest (50/request) >= 60,000 events/s per gateway core", Spread(perCore, "N0") + " events per CPU-second", Median(perCore) >= 60_000);
        var (addedP50, addedP99) = AddedLatency("single");
        Target("added latency over bare YARP at half gateway capacity, single events: p50 <= +0.5 ms", "+" + Spread(addedP50, "N3") + " ms", Median(addedP50) <= 0.5);
        Target("added latency over bare YARP at half gateway capacity, single events: p99 <= +1 ms", "+" + Spread(addedP99, "N3") + " ms", Median(addedP99) <= 1);
        foreach (var payload in new[] { "single", "batch-50" })
        {
            var cost = Ratios(payload, Gateway, GatewayNoSync).Select(r => (1 - r) * 100).ToArray();
            Target($"durable audit (fsync) costs <= 5% throughput vs no-sync, {payload}", Spread(cost, "N1") + " %", Median(cost) <= 5);
        }

        Target($"no Gen2 collection during a {_options.Steady.TotalSeconds:N0} s steady gateway run ({steady.Payload}){(_options.Quick ? ", --quick: shortened" : string.Empty)}",
            Invariant($"{steady.Gc.Gen2} Gen2 ({steady.Gc.Gen0} gen0, {steady.Gc.Gen1} gen1) over {steady.Driver.Seconds:N0} s at {steady.EventsPerSecond:N0} events/s"), steady.Gc.Gen2 == 0);
        Line($"| audit chain verification speed (scripts/measure-audit-verify.sh) | {_options.AuditVerify ?? "not run"} | see docs/gatewayctl.md |");
        Line("| micro benchmarks | see bench/README-micro.md | - |");
        Line();

        var all = _throughput.Concat(_latency.Select(l => l.Measurement)).Append(steady).ToArray();
        var noisy = all.Where(m => m.ForeignCores > 0.1).ToArray();
        Line(Invariant($"Warm-up: {string.Join("; ", _warmups.Select(w => $"{w.Key} {(w.Value.Settled ? "settled" : "NOT settled")} in {w.Value.Took.TotalSeconds:N0} s"))}. Compilation during the measurements: {(all.Sum(m => m.Gc.JitTime.TotalMilliseconds) / all.Sum(m => m.Driver.Seconds * 1000)):P2} of their time."));
        Line(Invariant($"Noise: CPU used by processes other than the benchmark's during measurements: median {Median(all.Select(m => m.ForeignCores)):N2} cores, max {all.Max(m => m.ForeignCores):N2} cores; {noisy.Length} of {all.Length} measurements above 0.1 core."));
        if (noisy.Length > 0)
        {
            Line("NOISY: something else ran on the machine during some measurements; rerun on an idle machine before quoting those figures.");
        }

        Line();
        var invalid = _throughput.Concat(_latency.Select(l => l.Measurement)).Append(steady).Where(m => !m.Valid).ToArray();
        if (invalid.Length > 0)
        {
            Line($"RUN INVALID: {invalid.Length} measurement(s) had failed requests or forwarded a different number of events than were sent: "
                + string.Join(", ", invalid.Select(m => $"{m.System}/{m.Payload}/round {m.Round} ({m.Driver.Failures} failures, {m.UpstreamEvents}/{m.SentEvents} events)")));
            return false;
        }

        Line("Valid: every request answered 200, and for every measurement the upstream received exactly the events sent.");
        return true;
    }

    private void Target(string target, string measured, bool met) => Line($"| {target} | {measured} | {(met ? "PASS" : "MISS")} |");

    private double[] Ratios(string payload, string system, string baseline) =>
        [.. _throughput.Where(m => m.Payload == payload && m.System == system)
            .Join(_throughput.Where(m => m.Payload == payload && m.System == baseline), m => m.Round, m => m.Round, (m, b) => m.RequestsPerSecond / b.RequestsPerSecond)];

    /// <summary>The gateway's figure over the baseline build's, round by round.</summary>
    private double[] PerRound(string payload, Func<Measurement, double> figure) =>
        [.. _throughput.Where(m => m.Payload == payload && m.System == Gateway)
            .Join(_throughput.Where(m => m.Payload == payload && m.System == GatewayBaseline), m => m.Round, m => m.Round, (m, b) => figure(m) / figure(b))];

    private (double[] P50, double[] P99) AddedLatency(string payload)
    {
        var pairs = _latency.Where(l => l.Measurement.Payload == payload && l.Measurement.System == Gateway)
            .Join(_latency.Where(l => l.Measurement.Payload == payload && l.Measurement.System == Yarp), l => l.Measurement.Round, l => l.Measurement.Round, (g, y) => (g.Measurement.Driver, Yarp: y.Measurement.Driver))
            .ToArray();
        return ([.. pairs.Select(p => p.Driver.Percentile(50) - p.Yarp.Percentile(50))], [.. pairs.Select(p => p.Driver.Percentile(99) - p.Yarp.Percentile(99))]);
    }

    private static string Spread(IEnumerable<double> values, string format)
    {
        var all = values.ToArray();
        return all.Length == 0
            ? "n/a"
            : string.Format(CultureInfo.InvariantCulture, "{0} [{1}-{2}]", Median(all).ToString(format, CultureInfo.InvariantCulture), all.Min().ToString(format, CultureInfo.InvariantCulture), all.Max().ToString(format, CultureInfo.InvariantCulture));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private void Line(string text = "")
    {
        Console.WriteLine(text);
        _report.WriteLine(text);
    }
}
