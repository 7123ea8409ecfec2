using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;

namespace Gateway.Compliance.Tests.Policies;

/// <summary>Every fixture of every shipped vertical passes: input event → expected output and audit actions.</summary>
public class PolicyFixtureTests
{
    private static readonly Lazy<PolicyCatalog> s_catalog = new(() =>
    {
        var (catalog, errors) = PolicyCatalog.Load(RepoPaths.Policies, new PolicyLoader());
        return catalog ?? throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
    });

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in PolicyCatalog.FindPolicyFolders(RepoPaths.Policies))
        {
            foreach (var fixture in PolicyFixture.LoadFolder(folder))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(fixture.File));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_Passes(string vertical, string fixture)
    {
        Assert.True(s_catalog.Value.TryGet(vertical, out var policy));
        var result = FixtureRunner.Run(policy, PolicyFixture.Load(Path.Combine(policy.Directory, "fixtures", fixture)));
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Differences) + Environment.NewLine + result.ActualAudit);
    }

    [Fact]
    public void EveryVertical_HasFixtures_ForEveryEventType()
    {
        foreach (var policy in s_catalog.Value.All)
        {
            var covered = PolicyFixture.LoadFolder(policy.Directory)
                .Select(f => FixtureRunner.Run(policy, f).ActualAudit?["eventType"]?.GetValue<string>())
                .ToHashSet();
            var missing = policy.EventTypes.Select(e => e.Key).Where(k => !covered.Contains(k)).ToList();
            Assert.True(missing.Count == 0, $"{policy.Name} has no fixture for: {string.Join(", ", missing)}");
        }
    }
}
