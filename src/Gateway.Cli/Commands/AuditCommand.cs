using System.CommandLine;

namespace Gateway.Cli.Commands;

/// <summary><c>gatewayctl audit</c>: tools for compliance officers over the hash-chained audit log.</summary>
internal static class AuditCommand
{
    public static Command Build(CliConsole console) => new("audit", "Verify, search and account for the gateway's audit log.")
    {
        AuditVerifyCommand.Build(console),
        AuditCheckpointsCommand.Build(console),
        AuditSearchCommand.Build(console),
        AuditDisclosuresCommand.Build(console),
        AuditStatsCommand.Build(console),
        AuditExportCommand.Build(console),
    };
}
