using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;
using Gateway.Testing;

namespace Gateway.LeakBench;

/// <summary>Generates and runs the leak corpus for the shipped policies (used by the command line and the tests).</summary>
public static class LeakBenchmark
{
    public static readonly string[] ShippedPolicies = ["dental", "healthcare", "digital-health"];

    public static LeakRun Run(int seed, int eventsPerPolicy, IReadOnlyList<string>? policies = null)
    {
        var run = new LeakRun();
        var corpus = new LeakCorpus(seed);
        foreach (var name in policies ?? ShippedPolicies)
        {
            var policy = new PolicyLoader().LoadOrThrow(RepoPaths.Policy(name));
            var practice = LeakPractice.Create(policy.Name);
            var today = new DateOnly(2026, 11, 22);
            var targets = LeakCorpus.Targets(policy, practice, today);
            run.Run(policy, practice, today, corpus.Generate(policy, targets, eventsPerPolicy));
        }

        return run;
    }
}

/// <summary>The practice the corpus runs as: the fixture key, and the site <see cref="LeakCorpus.PracticeHost"/>.</summary>
internal static class LeakPractice
{
    public static Gateway.Compliance.Practices.PracticeContext Create(string vertical) => FixturePractice.Create(vertical, ["021", "024"]);
}
