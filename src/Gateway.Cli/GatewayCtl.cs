using System.CommandLine;
using System.Text.Json;
using Gateway.Cli.Commands;

namespace Gateway.Cli;

/// <summary>Builds the command tree and runs one invocation, mapping outcomes to <see cref="ExitCodes"/>.</summary>
internal static class GatewayCtl
{
    /// <summary>Options whose value is a person's identifier: never echoed, even in a usage error.</summary>
    private static readonly string[] s_identifierOptions = ["--email", "--phone", "--user-id", "--anonymous-id"];

    public static RootCommand Build(CliConsole console) => new("gatewayctl: audit, policy and key tooling for the compliance gateway. Exit codes: 0 success, 1 check failed, 2 usage error, 3 unexpected error.")
    {
        AuditCommand.Build(console),
        PolicyCommand.Build(console),
        KeysCommand.Build(console),
        PmsCommand.Build(console),
    };

    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        var root = Build(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var redact = args.Any(a => s_identifierOptions.Contains(a.Split('=')[0], StringComparer.Ordinal));
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync("gatewayctl: " + (redact ? Redact(error.Message, args) : error.Message));
            }

            await console.Error.WriteLineAsync("Run 'gatewayctl --help' (or '<command> --help') for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (UsageException ex)
        {
            await console.Error.WriteLineAsync("gatewayctl: " + ex.Message);
            return ExitCodes.Usage;
        }
        catch (JsonException ex)
        {
            // JSON exception messages can quote the offending input: report only where it is.
            await console.Error.WriteLineAsync($"gatewayctl: invalid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}.");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // These messages name files, never their content.
            await console.Error.WriteLineAsync($"gatewayctl: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Error;
        }
        catch (Exception ex)
        {
            // Other messages can quote input (parsers do): name the failure only.
            await console.Error.WriteLineAsync($"gatewayctl: unexpected {ex.GetType().Name} in {ex.TargetSite?.DeclaringType?.Name}.{ex.TargetSite?.Name}; please report it.");
            return ExitCodes.Error;
        }
    }

    /// <summary>Replaces every argument that is not an option name in a parse error message.</summary>
    private static string Redact(string message, string[] args)
    {
        foreach (var arg in args.Where(a => !a.StartsWith('-') && a.Length > 0).OrderByDescending(a => a.Length))
        {
            message = message.Replace(arg, "<value>", StringComparison.Ordinal);
        }

        return message;
    }
}
