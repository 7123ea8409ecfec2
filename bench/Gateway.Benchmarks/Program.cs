using BenchmarkDotNet.Running;
using Gateway.Benchmarks;

// dotnet run -c Release --project bench/Gateway.Benchmarks -- [--quick] [BenchmarkDotNet args, e.g. --filter '*']
var quick = args.Contains(BenchConfig.QuickSwitch, StringComparer.Ordinal);
var rest = args.Where(a => a != BenchConfig.QuickSwitch).ToArray();
if (rest.Length == 0)
{
    rest = ["--filter", "*"];
}

BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(rest, BenchConfig.Create(quick));
