using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gateway.Cli.Support;
using Gateway.Compliance.Audit;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>audit disclosures</c>: an accounting of disclosures for one person (in the manner of 45 CFR 164.528):
/// to which destination, when, which event types, under which policy version and BAA, which fields were sent
/// in which form and which were withheld. The identifier is turned into pseudonyms locally and never shown.
/// </summary>
internal static class AuditDisclosuresCommand
{
    public static Command Build(CliConsole console)
    {
        var folders = AuditFolders.Argument();
        var subject = new SubjectOptions();
        var practice = new Option<string>("--practice") { Description = "The practice (covered entity) the person is a patient or lead of.", Required = true };
        var from = new Option<string?>("--from") { Description = "Disclosures at or after this date or time." };
        var to = new Option<string?>("--to") { Description = "Disclosures before this time; a date alone includes that day." };
        var format = OutputFormat.Create(OutputFormat.Table, OutputFormat.Csv, OutputFormat.Json);
        var command = new Command("disclosures", "Accounting of disclosures for one person: destination, time, event type, policy version, BAA, fields sent and withheld.")
        {
            folders, practice, from, to, format,
        };
        subject.AddTo(command);
        command.SetAction(parse =>
        {
            var directories = AuditFolders.Get(parse, folders);
            var practiceId = parse.GetValue(practice)!;
            if (!subject.IsGiven(parse))
            {
                throw new UsageException("Give the person's identifier: --email, --phone, --user-id, --anonymous-id or --identifier-stdin.");
            }

            var subjects = subject.Pseudonyms(parse, practiceId, console.In);
            var start = TimeArguments.From(parse.GetValue(from));
            var end = TimeArguments.To(parse.GetValue(to));
            if (start is { } s && end is { } e && s >= e)
            {
                throw new UsageException("--from must be before --to.");
            }

            var report = DisclosureAccounting.Account(new AuditReader(directories), practiceId, subjects, start, end);
            switch (parse.GetValue(format))
            {
                case OutputFormat.Csv:
                    DisclosureCsv.Write(console.Out, report);
                    break;
                case OutputFormat.Json:
                    WriteJson(console.Out, report, practiceId, start, end);
                    break;
                default:
                    WriteTable(console, report, practiceId, start, end);
                    break;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, DisclosureReport report, string practice, DateTimeOffset? from, DateTimeOffset? to)
    {
        var document = new
        {
            practice,
            from,
            to,
            note = "The person is identified by pseudonyms computed locally; the identifier is not part of this report.",
            eventRecords = report.EventRecords,
            eventsNotDisclosed = report.EventsNotDisclosed,
            disclosures = report.Disclosures,
        };
        output.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }

    private static void WriteTable(CliConsole console, DisclosureReport report, string practice, DateTimeOffset? from, DateTimeOffset? to)
    {
        var period = $"{(from is { } f ? RecordColumns.Time(f) : "the first record")} to {(to is { } t ? RecordColumns.Time(t) : "the last record")}";
        console.Out.WriteLine($"Accounting of disclosures of practice {practice}, {period} (the person's identifier is not shown).");
        var table = new Table().AddColumns("disclosed at", "destination", "event type", "policy", "BAA", "consent", "sent", "withheld");
        foreach (var d in report.Disclosures)
        {
            var fields = d.Fields;
            var sent = new List<string>();
            Add(sent, "kept", fields.Kept);
            Add(sent, "pseudonymized", fields.Pseudonymized);
            Add(sent, "tokenized", fields.Tokenized);
            foreach (var (method, paths) in fields.Generalized.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Add(sent, "generalized (" + method + ")", paths);
            }

            Add(sent, "redacted text", fields.RedactedText);
            Add(sent, "derived", fields.Derived);
            var withheld = new List<string>();
            Add(withheld, "dropped", fields.Dropped);
            Add(withheld, "invalid", fields.Invalid);
            Add(withheld, "not allowed", fields.NotAllowed);
            Add(withheld, "unnamed", fields.Unmapped);
            table.AddRow(
                RecordColumns.Time(d.Time),
                Markup.Escape(d.Destination + (d.Deidentified ? " (de-identified)" : string.Empty)),
                Markup.Escape(d.EventType ?? string.Empty),
                Markup.Escape($"{d.Vertical} {d.PolicyVersion}"),
                d.Baa?.ToString(CultureInfo.InvariantCulture) ?? "-",
                d.Consent.Count == 0 ? "-" : string.Join(", ", d.Consent),
                Markup.Escape(string.Join("\n", sent)),
                Markup.Escape(string.Join("\n", withheld)));
        }

        console.Ansi.Write(table);
        console.Out.WriteLine($"{report.Disclosures.Count} disclosure(s); {report.EventRecords} event record(s) of this person read, {report.EventsNotDisclosed} of them not disclosed (dropped, rejected or never delivered).");
        console.Out.WriteLine("This accounting is only as sound as the log it was read from: run 'gatewayctl audit verify' on the same folders.");
    }

    private static void Add(List<string> lines, string label, IReadOnlyList<string> paths)
    {
        if (paths.Count > 0)
        {
            lines.Add($"{label}: {string.Join(", ", paths)}");
        }
    }
}
