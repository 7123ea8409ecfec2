using Gateway.Cli.Tests.Support;

namespace Gateway.Cli.Tests.Commands;

/// <summary>Exit codes of the command tree itself: 0 for help, 2 for any usage error.</summary>
public class GatewayCtlTests
{
    [Theory]
    [InlineData(0, "--help")]
    [InlineData(0, "audit", "--help")]
    [InlineData(0, "policy", "explain", "--help")]
    [InlineData(2)]
    [InlineData(2, "audit")]
    [InlineData(2, "policy")]
    [InlineData(2, "frobnicate")]
    [InlineData(2, "audit", "verify", "--no-such-option")]
    public void ExitCodes(int expected, params string[] args)
    {
        var result = Ctl.Run(args);
        Assert.True(result.ExitCode == expected, result.ToString());
        if (expected == 2)
        {
            Assert.StartsWith("gatewayctl: ", result.Error);
        }
    }

    [Fact]
    public void Help_ListsEveryCommand()
    {
        var audit = Ctl.Run("audit", "--help").Out;
        foreach (var command in new[] { "verify", "search", "disclosures", "stats", "export" })
        {
            Assert.Contains(command, audit);
        }

        var policy = Ctl.Run("policy", "--help").Out;
        foreach (var command in new[] { "new", "lint", "test", "explain", "diff" })
        {
            Assert.Contains(command, policy);
        }
    }
}
