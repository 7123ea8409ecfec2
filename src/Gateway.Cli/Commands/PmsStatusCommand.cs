using System.CommandLine;
using System.Text.Json;
using Gateway.Cli.Support;

namespace Gateway.Cli.Commands;

/// <summary><c>pms status</c>: each connector's cursors and counts from the state file (no PHI is kept there).</summary>
internal static class PmsStatusCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Build(CliConsole console)
    {
        var state = new Option<string>("--state") { Description = "The connectors' state file.", DefaultValueFactory = _ => Path.Combine("data", "pms", "state.db") };
        var format = OutputFormat.Create(OutputFormat.Table, OutputFormat.Json);
        var command = new Command("status", "Show each connector's cursors and rows read, sent, refused and already sent.") { state, format };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(state)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"The state file '{path}' does not exist (no connector has run with it).");
            }

            using var store = PmsOptions.OpenState(path);
            var all = store.All();
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                console.Out.WriteLine(JsonSerializer.Serialize(all, s_json));
            }
            else
            {
                foreach (var status in all)
                {
                    PmsOptions.PrintStatus(console, status);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
