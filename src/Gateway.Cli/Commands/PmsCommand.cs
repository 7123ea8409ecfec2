using System.CommandLine;

namespace Gateway.Cli.Commands;

/// <summary><c>gatewayctl pms</c>: practice-management connectors that send recall and appointment events through the gateway.</summary>
internal static class PmsCommand
{
    public static Command Build(CliConsole console) => new("pms", "Send Open Dental, Dentrix and Eaglesoft recall and appointment data through the gateway (docs/pms.md).")
    {
        PmsPollCommand.Build(console),
        PmsImportCommand.Build(console),
        PmsStatusCommand.Build(console),
    };
}
