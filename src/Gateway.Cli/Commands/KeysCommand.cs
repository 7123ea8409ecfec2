using System.CommandLine;

namespace Gateway.Cli.Commands;

/// <summary><c>gatewayctl keys</c>: pseudonym secrets, generated and encrypted at rest for the Data Protection certificate.</summary>
internal static class KeysCommand
{
    public static Command Build(CliConsole console) => new("keys", "Create pseudonym secrets and encrypt secret files to the Data Protection certificate.")
    {
        KeysNewSecretCommand.Build(console),
        KeysEncryptSecretCommand.Build(console),
    };
}
