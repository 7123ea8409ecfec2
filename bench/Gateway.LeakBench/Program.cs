using System.Globalization;
using Gateway.LeakBench;

// Usage: dotnet run -c Release --project bench/Gateway.LeakBench -- [--events N] [--seed S] [--policies a,b] [--out file.md] [--show-planted]
var events = 6000;
var seed = 20261202;
string? output = null;
var showPlanted = false;
IReadOnlyList<string>? policies = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events":
            events = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--policies":
            policies = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries);
            break;
        case "--out":
            output = args[++i];
            break;
        case "--show-planted":
            showPlanted = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: [--events N per policy] [--seed S] [--policies dental,healthcare] [--out report.md] [--show-planted]");
            return 2;
    }
}

var started = System.Diagnostics.Stopwatch.StartNew();
var run = LeakBenchmark.Run(seed, events, policies);
var report = LeakReport.Format(run, seed, events, showPlanted: showPlanted);
Console.WriteLine(report);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({run.Events} events in {started.Elapsed.TotalSeconds:F1} s)"));
if (output is not null)
{
    File.WriteAllText(output, report);
}

return run.TotalLeaks == 0 ? 0 : 1;
