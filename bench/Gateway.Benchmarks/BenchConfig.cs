using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gateway.Benchmarks;

/// <summary>
/// The benchmark configuration: BenchmarkDotNet's defaults (or a short in-process job with <c>--quick</c>,
/// so the whole suite runs in under three minutes), memory diagnoser, and GitHub markdown written to
/// <c>bench/results/micro</c>.
/// </summary>
internal static class BenchConfig
{
    public const string QuickSwitch = "--quick";

    public static IConfig Create(bool quick)
    {
        var config = DefaultConfig.Instance
            .WithArtifactsPath(Path.Combine(Gateway.Testing.RepoPaths.Root, "bench", "results", "micro"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableLogFile);
        if (quick)
        {
            config = config.AddJob(Job.ShortRun
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(2)
                .WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(200))
                .WithId("Quick"));
        }

        return config;
    }
}
