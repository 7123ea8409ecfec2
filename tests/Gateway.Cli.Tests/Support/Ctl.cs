namespace Gateway.Cli.Tests.Support;

/// <summary>What one gatewayctl invocation printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs gatewayctl in-process, as the tool would, with captured output (not a terminal).</summary>
internal static class Ctl
{
    public static CliResult Run(params string[] args) => RunWithInput(string.Empty, args);

    public static CliResult RunWithInput(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin);
        var exit = GatewayCtl.RunAsync(args, new CliConsole(output, error, input, isTerminal: false)).GetAwaiter().GetResult();
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
