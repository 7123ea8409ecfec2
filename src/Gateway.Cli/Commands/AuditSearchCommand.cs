using System.CommandLine;
using System.Globalization;
using Gateway.Cli.Support;
using Gateway.Compliance.Audit;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>audit search</c>: records by time, practice, event type, outcome, destination, policy version, kind and
/// instance, and by subject: a raw identifier is turned into the practice's pseudonyms locally, with every
/// key of its ring, and never printed or written anywhere.
/// </summary>
internal static class AuditSearchCommand
{
    public static Command Build(CliConsole console)
    {
        var folders = AuditFolders.Argument();
        var filters = new AuditFilterOptions();
        var subject = new SubjectOptions();
        var format = OutputFormat.Create(OutputFormat.Table, OutputFormat.Csv, OutputFormat.Json);
        var limit = new Option<int?>("--limit") { Description = "Stop after this many records." };
        var command = new Command("search", "Find audit records by time, practice, event type, outcome, destination, policy version, or a person's identifier.")
        {
            folders, format, limit,
        };
        filters.AddTo(command);
        subject.AddTo(command);
        command.SetAction(parse =>
        {
            var directories = AuditFolders.Get(parse, folders);
            HashSet<string>? subjects = null;
            if (subject.IsGiven(parse))
            {
                var practices = parse.GetValue(filters.Practice) ?? [];
                if (practices.Length != 1)
                {
                    throw new UsageException("A search by identifier needs exactly one --practice: pseudonyms are computed with that practice's keys.");
                }

                subjects = subject.Pseudonyms(parse, practices[0], console.In);
            }

            var query = filters.ToQuery(parse, subjects);
            if (parse.GetValue(limit) is < 1)
            {
                throw new UsageException("--limit must be at least 1.");
            }

            var reader = new AuditReader(directories);
            var records = reader.Read(query);
            if (parse.GetValue(limit) is { } max)
            {
                records = records.Take(max);
            }

            var count = Write(console, parse.GetValue(format)!, records);
            console.Error.WriteLine($"{count} record(s) matched{(reader.SkippedLines > 0 ? $"; {reader.SkippedLines} unreadable line(s) skipped (run 'gatewayctl audit verify')" : string.Empty)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static long Write(CliConsole console, string format, IEnumerable<AuditRecord> records)
    {
        long count = 0;
        switch (format)
        {
            case OutputFormat.Json:
                // The records exactly as stored, one per line: still verifiable against the chain.
                foreach (var record in records)
                {
                    console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(record.Raw.Span));
                    count++;
                }

                break;
            case OutputFormat.Csv:
                Csv.WriteRow(console.Out, RecordColumns.Header);
                foreach (var record in records)
                {
                    Csv.WriteRow(console.Out, RecordColumns.Row(record));
                    count++;
                }

                break;
            default:
                var table = new Table().AddColumns("time", "instance:seq", "kind", "practice", "event type", "outcome", "reason / destinations", "policy", "subject");
                foreach (var record in records)
                {
                    var e = record.Event;
                    var d = record.Delivery;
                    table.AddRow(
                        RecordColumns.Time(record.Time),
                        string.Create(CultureInfo.InvariantCulture, $"{record.Instance}:{record.Seq}"),
                        record.Kind,
                        Markup.Escape(e?.Practice ?? d?.Practice ?? string.Empty),
                        Markup.Escape(e?.EventType ?? string.Empty),
                        e?.Outcome ?? (d is null ? string.Empty : d.Delivered ? "delivered" : "failed"),
                        Markup.Escape(e is not null ? string.Join(" ", new[] { e.Reason, RecordColumns.Destinations(e) }.Where(s => !string.IsNullOrEmpty(s)))
                            : d is not null ? $"{d.Destination} ({d.Attempt}) {d.MessageIds.Count} event(s){(d.Error is null ? string.Empty : " " + d.Error)}"
                            : string.Empty),
                        Markup.Escape(e is null ? string.Empty : $"{e.Vertical} {e.PolicyVersion}"),
                        Markup.Escape(e?.Subject ?? string.Empty));
                    count++;
                }

                console.Ansi.Write(table);
                break;
        }

        return count;
    }
}
