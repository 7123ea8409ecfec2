using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;

// Measures how fast audit chains verify. Not a unit test: timings depend on the machine.
//   generate <dir> [--records N] [--instance ID] [--file-mb MB] [--policies DIR]
//   verify <dir> [--runs N] [--parallelism N]
//   compress <dir>   (every sealed file of every instance, as the gateway's compaction does; prints bytes per record on disk)
if (args.Length < 2 || args[0] is not ("generate" or "verify" or "compress"))
{
    Console.Error.WriteLine("usage: Gateway.AuditBench generate <dir> [--records 1000000] [--instance gw-bench] [--file-mb 256] [--policies <policies dir>]");
    Console.Error.WriteLine("       Gateway.AuditBench verify <dir> [--runs 3] [--parallelism <cores>]");
    Console.Error.WriteLine("       Gateway.AuditBench compress <dir>");
    return 2;
}

var directory = args[1];
string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

if (args[0] == "generate")
{
    var records = long.Parse(Option("--records", "1000000"), CultureInfo.InvariantCulture);
    var instance = Option("--instance", "gw-bench");
    var maxFileBytes = long.Parse(Option("--file-mb", "256"), CultureInfo.InvariantCulture) * 1024 * 1024;
    var policies = Option("--policies", FindPolicies());
    var bodies = SampleBodies(policies);
    var watch = Stopwatch.StartNew();
    var bytes = Generate(directory, instance, records, maxFileBytes, bodies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"generated {records:N0} records ({bytes / 1048576.0:N0} MiB, {bytes / records:N0} bytes/record) in {watch.Elapsed.TotalSeconds:N1} s into {directory}"));
    return 0;
}

if (args[0] == "compress")
{
    var before = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);
    var records = new AuditChainVerifier().Verify(directory).Records;
    var watch = Stopwatch.StartNew();
    var files = AuditFileNames.Find(directory).Keys.Sum(instance => AuditSegmentCompression.CompressSealed(directory, instance).Count);
    var after = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"compressed {files} sealed files in {watch.Elapsed.TotalSeconds:N1} s: {before / (double)records:N0} -> {after / (double)records:N0} bytes/record on disk ({records:N0} records, {before / 1048576.0:N0} -> {after / 1048576.0:N0} MiB, the newest file still plain)"));
    return 0;
}

var runs = int.Parse(Option("--runs", "3"), CultureInfo.InvariantCulture);
var parallelism = int.Parse(Option("--parallelism", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
for (var run = 1; run <= runs; run++)
{
    var watch = Stopwatch.StartNew();
    var result = new AuditChainVerifier { Parallelism = parallelism }.Verify(directory);
    watch.Stop();
    if (!result.IsValid)
    {
        Console.Error.WriteLine("verification failed: " + string.Join("; ", result.Problems));
        return 1;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run}: {result.Records:N0} records in {watch.Elapsed.TotalSeconds:N2} s = {result.Records / watch.Elapsed.TotalSeconds:N0} records/s"));
}

return 0;

static long Generate(string directory, string instance, long records, long maxFileBytes, IReadOnlyList<byte[]> bodies)
{
    Directory.CreateDirectory(directory);
    var head = AuditChainState.Genesis;
    var time = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    var buffer = new ArrayBufferWriter<byte>(8 << 20);
    FileStream? file = null;
    long total = 0;
    for (long i = 0; i < records; i++)
    {
        if (file is null || file.Length + buffer.WrittenCount >= maxFileBytes)
        {
            Flush();
            file?.Dispose();
            file = new FileStream(Path.Combine(directory, AuditFileNames.For(instance, head.Count + 1)), FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 20);
        }

        head = AuditRecordEncoder.Append(buffer, bodies[(int)(i % bodies.Count)], head, time.AddMilliseconds(i), instance);
        if (buffer.WrittenCount > (4 << 20))
        {
            Flush();
        }
    }

    Flush();
    file?.Dispose();
    return total;

    void Flush()
    {
        if (file is not null && buffer.WrittenCount > 0)
        {
            file.Write(buffer.WrittenSpan);
            total += buffer.WrittenCount;
            buffer.ResetWrittenCount();
        }
    }
}

// Realistic record bodies: the event records the shipped policies' fixtures produce, each followed by a delivery record.
static List<byte[]> SampleBodies(string policies)
{
    var bodies = new List<byte[]>();
    var loader = new PolicyLoader();
    foreach (var folder in PolicyCatalog.FindPolicyFolders(policies))
    {
        var policy = loader.LoadOrThrow(folder);
        foreach (var result in FixtureRunner.RunFolder(policy))
        {
            var audit = result.ActualAudit!;
            if (audit["destinations"] is JsonArray destinations)
            {
                foreach (var destination in destinations.OfType<JsonObject>())
                {
                    destination["consent"] = new JsonArray(17, 42);
                    destination["baa"] = 3;
                }
            }

            bodies.Add(Encoding.UTF8.GetBytes(audit.ToJsonString()));
            if (audit["outcome"]?.GetValue<string>() == "forward")
            {
                bodies.Add(Encoding.UTF8.GetBytes($$"""{"kind":"delivery","practice":"fixture-practice","destination":"scoring","cluster":"scoring","attempt":"direct","delivered":true,"status":200,"error":null,"events":1,"messageIds":["{{audit["messageId"]}}"]}"""));
            }
        }
    }

    return bodies;
}

static string FindPolicies()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
        {
            return Path.Combine(dir.FullName, "policies");
        }
    }

    throw new InvalidOperationException("Gateway.sln not found; pass --policies.");
}
