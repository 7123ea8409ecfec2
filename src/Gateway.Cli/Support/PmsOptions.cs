using System.CommandLine;
using Pms.Connectors;
using Pms.Connectors.Delivery;
using Pms.Connectors.Events;
using Pms.Connectors.State;

namespace Gateway.Cli.Support;

/// <summary>
/// Options every <c>pms</c> command shares: the gateway and the practice's write key file, the connector's name and
/// state file, how patients are identified, and the consent categories the practice recorded. Secrets come from files,
/// never from the command line (it shows in process lists and shell history).
/// </summary>
internal sealed class PmsOptions
{
    public Option<string> Gateway { get; } = new("--gateway") { Description = "The gateway's ingest URL (https, or http on loopback).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };

    public Option<string> WriteKeyFile { get; } = new("--write-key-file") { Description = "File holding the practice's write key.", Required = true };

    public Option<string> State { get; } = new("--state") { Description = "The connectors' state file (SQLite: cursors, counters, sent message ids; no PHI).", DefaultValueFactory = _ => Path.Combine("data", "pms", "state.db") };

    public Option<string?> Name { get; } = new("--name") { Description = "The connector's name in the state file (default: the system's name)." };

    public Option<PatientIdentity> Identity { get; } = new("--identity") { Description = "Which identifier becomes userId (the gateway pseudonymizes it): email, phone or record.", DefaultValueFactory = _ => PatientIdentity.Email };

    public Option<string[]> Consent { get; } = new("--consent") { Description = "Consent category the practice recorded for its patients' PMS data (e.g. Analytics; repeatable). None: the gateway forwards only for people in its consent ledger.", AllowMultipleArgumentsPerToken = true };

    public IEnumerable<Option> All => [Gateway, WriteKeyFile, State, Name, Identity, Consent];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    public GatewayOptions GatewayOptions(ParseResult parse)
    {
        try
        {
            var options = new GatewayOptions
            {
                Endpoint = Url(parse.GetValue(Gateway)!, "--gateway"),
                WriteKey = ReadSecret(parse.GetValue(WriteKeyFile)!),
                ConsentCategories = parse.GetValue(Consent) ?? [],
            };
            options.Validate();
            return options;
        }
        catch (ConnectorConfigurationException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    public static Uri Url(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : throw new UsageException($"{option}: not an absolute URL");

    public static string ReadSecret(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The secret file '{path}' does not exist.");
        }

        return File.ReadAllText(path).Trim();
    }

    public static void PrintStatus(CliConsole console, ConnectorStatus? status)
    {
        if (status is null)
        {
            return;
        }

        var cursors = status.Cursors.Count == 0 ? "none" : string.Join(", ", status.Cursors.Select(c => $"{c.Key} {c.Value}"));
        console.Out.WriteLine($"{status.Connector}: rows read {status.RowsRead}, sent {status.RowsSent}, refused {status.RowsRefused}, already sent {status.RowsAlreadySent}; cursors: {cursors}; last run: {status.LastOutcome ?? "never"}");
    }

    public static ConnectorStateStore OpenState(string path) => ConnectorStateStore.Open(path, TimeProvider.System);
}
