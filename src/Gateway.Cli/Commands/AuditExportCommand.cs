using System.CommandLine;
using System.Text;
using Gateway.Cli.Support;
using Gateway.Compliance.Audit;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>audit export</c>: the records of a period as JSON lines (exactly as stored, so they stay verifiable
/// against the chain) or CSV, for the organization's records retention (HIPAA: six years, 164.316(b)(2)).
/// </summary>
internal static class AuditExportCommand
{
    public static Command Build(CliConsole console)
    {
        var folders = AuditFolders.Argument();
        var filters = new AuditFilterOptions();
        var format = new Option<string>("--format") { Description = "jsonl (records as stored) or csv.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (created; never overwritten) instead of standard output." };
        var command = new Command("export", "Export the records of a period as JSON lines or CSV for records retention.")
        {
            folders, format, output,
        };
        filters.AddTo(command);
        command.SetAction(parse =>
        {
            var reader = new AuditReader(AuditFolders.Get(parse, folders));
            var query = filters.ToQuery(parse);
            var path = parse.GetValue(output);
            if (path is not null && File.Exists(path))
            {
                throw new UsageException($"'{path}' exists: an export never overwrites a file.");
            }

            long count = 0;
            var temporary = path is null ? null : path + ".partial";
            using (var writer = temporary is null ? null : new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
            {
                var target = writer ?? console.Out;
                var csv = parse.GetValue(format) == "csv";
                if (csv)
                {
                    Csv.WriteRow(target, RecordColumns.Header);
                }

                foreach (var record in reader.Read(query))
                {
                    if (csv)
                    {
                        Csv.WriteRow(target, RecordColumns.Row(record));
                    }
                    else
                    {
                        target.Write(Encoding.UTF8.GetString(record.Raw.Span));
                        target.Write('\n');
                    }

                    count++;
                }

                target.Flush();
            }

            if (temporary is not null)
            {
                File.Move(temporary, path!);
            }

            console.Error.WriteLine($"exported {count} record(s){(path is null ? string.Empty : " to " + path)}{(reader.SkippedLines > 0 ? $"; {reader.SkippedLines} unreadable line(s) skipped (run 'gatewayctl audit verify')" : string.Empty)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
