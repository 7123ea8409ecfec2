using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Commands;

public class PolicyNewCommandTests : IDisposable
{
    private readonly TempDirectory _policies = new("policies");

    public void Dispose() => _policies.Dispose();

    [Fact]
    public void NewVertical_PassesLintAndTest_OutOfTheBox()
    {
        var created = Ctl.Run("policy", "new", "physical-therapy", "--into", _policies.Path);
        Assert.True(created.ExitCode == 0, created.ToString());
        var folder = Path.Combine(_policies.Path, "physical-therapy");
        Assert.True(File.Exists(Path.Combine(folder, "policy.yaml")));
        Assert.True(File.Exists(Path.Combine(folder, "schemas", "envelope.schema.json")));
        Assert.True(File.Exists(Path.Combine(folder, "schemas", "identify.schema.json")));
        Assert.True(File.Exists(Path.Combine(folder, "schemas", "lead-form-submitted.schema.json")));
        Assert.True(Directory.GetFiles(Path.Combine(folder, "fixtures")).Length >= 4);
        Assert.False(File.Exists(Path.Combine(folder, "README.md")));
        Assert.Contains("name: physical-therapy", File.ReadAllText(Path.Combine(folder, "policy.yaml")));
        Assert.DoesNotContain("{{vertical}}", string.Concat(Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(File.ReadAllText)));

        Assert.Equal(0, Ctl.Run("policy", "lint", folder).ExitCode);
        var test = Ctl.Run("policy", "test", _policies.Path);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("physical-therapy: 5 passed, 0 failed", test.Out);
    }

    [Theory]
    [InlineData("Dental")]
    [InlineData("my vertical")]
    [InlineData("../escape")]
    public void InvalidName_Exits2(string name)
    {
        Assert.Equal(2, Ctl.Run("policy", "new", name, "--into", _policies.Path).ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(_policies.Path));
    }

    [Fact]
    public void ExistingFolder_OrMissingParent_Exits2()
    {
        Assert.Equal(0, Ctl.Run("policy", "new", "optometry", "--into", _policies.Path).ExitCode);
        var again = Ctl.Run("policy", "new", "optometry", "--into", _policies.Path);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists", again.Error);
        Assert.Equal(2, Ctl.Run("policy", "new", "optometry", "--into", Path.Combine(_policies.Path, "missing")).ExitCode);
    }
}
