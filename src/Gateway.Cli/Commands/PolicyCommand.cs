using System.CommandLine;

namespace Gateway.Cli.Commands;

/// <summary><c>gatewayctl policy</c>: tools for policy engineers, over policy folders, without starting the gateway.</summary>
internal static class PolicyCommand
{
    public static Command Build(CliConsole console) => new("policy", "Scaffold, lint, test, explain and diff vertical policy folders.")
    {
        PolicyNewCommand.Build(console),
        PolicyLintCommand.Build(console),
        PolicyTestCommand.Build(console),
        PolicyExplainCommand.Build(console),
        PolicyDiffCommand.Build(console),
    };
}
