using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gateway.Cli.Support;
using Gateway.Compliance.Audit;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>audit stats</c>: counts over a period by outcome and reason, field action and detector, practice and
/// policy version, destination decision (consent and BAA drops) and delivery. Counts only, no values.
/// </summary>
internal static class AuditStatsCommand
{
    private static readonly Dictionary<string, string> s_titles = new(StringComparer.Ordinal)
    {
        ["kind"] = "records by kind",
        ["outcome"] = "events by outcome",
        ["reason"] = "why events were dropped or rejected, and why deliveries failed",
        ["practice"] = "events by practice",
        ["policy"] = "events by policy version",
        ["event-type"] = "events by event type",
        ["destination-decision"] = "decisions per destination (consent and BAA drops)",
        ["delivery"] = "deliveries",
        ["action"] = "what was done to fields (field occurrences)",
        ["field"] = "field actions by policy path",
        ["detector"] = "detectors that fired in free text",
    };

    public static Command Build(CliConsole console)
    {
        var folders = AuditFolders.Argument();
        var filters = new AuditFilterOptions();
        var format = OutputFormat.Create(OutputFormat.Table, OutputFormat.Csv, OutputFormat.Json);
        var byPath = new Option<bool>("--by-path") { Description = "Also count each field action per policy path (table output)." };
        var command = new Command("stats", "Counts over a period: outcomes, reasons, field actions, detectors, practices, policy versions, consent and BAA drops, deliveries.")
        {
            folders, format, byPath,
        };
        filters.AddTo(command);
        command.SetAction(parse =>
        {
            var reader = new AuditReader(AuditFolders.Get(parse, folders));
            var statistics = AuditStatistics.Compute(reader.Read(filters.ToQuery(parse)));
            var groups = AuditStatistics.GroupNames.Where(g => g != "field" || parse.GetValue(byPath) || parse.GetValue(format) != OutputFormat.Table).ToList();
            switch (parse.GetValue(format))
            {
                case OutputFormat.Csv:
                    Csv.WriteRow(console.Out, ["group", "key", "count"]);
                    foreach (var group in groups)
                    {
                        foreach (var (key, count) in statistics.Group(group))
                        {
                            Csv.WriteRow(console.Out, [group, key, count.ToString(CultureInfo.InvariantCulture)]);
                        }
                    }

                    break;
                case OutputFormat.Json:
                    console.Out.WriteLine(JsonSerializer.Serialize(
                        new
                        {
                            records = statistics.Records,
                            first = statistics.First,
                            last = statistics.Last,
                            groups = groups.ToDictionary(g => g, statistics.Group),
                        },
                        new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                    break;
                default:
                    console.Out.WriteLine(statistics.Records == 0
                        ? "No records in the period."
                        : $"{statistics.Records:N0} records from {RecordColumns.Time(statistics.First!.Value)} to {RecordColumns.Time(statistics.Last!.Value)}.");
                    foreach (var group in groups.Where(g => statistics.Group(g).Count > 0))
                    {
                        var table = new Table().Title(s_titles[group]).AddColumns(group, "count");
                        foreach (var (key, count) in statistics.Group(group))
                        {
                            table.AddRow(Markup.Escape(key), count.ToString("N0", CultureInfo.InvariantCulture));
                        }

                        console.Ansi.Write(table);
                    }

                    break;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
