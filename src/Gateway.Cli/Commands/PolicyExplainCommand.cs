using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gateway.Cli.Support;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Processing;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>policy explain</c>: a dry run of one sample event: field by field what the policy does and why (the rule
/// and where it is written), the scrubbed output, and any text in it that a detector still finds. Nothing is
/// forwarded or audited. Input values are shown only with <c>--show-values</c>: sample events may be real.
/// </summary>
internal static class PolicyExplainCommand
{
    public static Command Build(CliConsole console)
    {
        var folder = new Argument<string>("policy-dir") { Description = "The vertical's policy folder." };
        var eventFile = new Argument<string>("event-json") { Description = "A JSON file with one Segment event (or a fixture file: its input is used)." };
        var showValues = new Option<bool>("--show-values") { Description = "Also print input values (off by default: sample events may hold real PHI)." };
        var today = new Option<string?>("--today") { Description = "The date age bands are computed against (yyyy-MM-dd; default: today, UTC)." };
        var serviceArea = new Option<string[]>("--service-area") { Description = "ZIP3 or ZIP5 the practice serves (repeatable; feeds in_service_area)." };
        var domain = new Option<string[]>("--domain")
        {
            Description = "A site host of the practice (repeatable; URLs keep only these and the policy's hosts). Default: the fixture practice's smile.example and clinic.example.",
        };
        var value = new Option<string[]>("--value")
        {
            Description = "A practice value as set=value, e.g. location=back-bay (repeatable; as Gateway:Practices:*:Values). Default: the fixture practice's.",
        };
        var endpoint = new Option<string?>("--endpoint") { Description = "Single-event endpoint type (track, identify, ...) when the event has no 'type'." };
        var format = OutputFormat.Create(OutputFormat.Table, OutputFormat.Json);
        var strict = new Option<bool>("--strict") { Description = "Exit 1 when a detector still finds something in the output." };
        var command = new Command("explain", "Dry run: what the policy does to a sample event, field by field and why; detectors still firing in the output.")
        {
            folder, eventFile, showValues, today, serviceArea, domain, value, endpoint, format, strict,
        };
        command.SetAction(parse =>
        {
            var folders = PolicyFolders.Resolve(parse.GetValue(folder)!);
            if (folders.Count != 1)
            {
                throw new UsageException("Give one vertical's policy folder (with a policy.yaml).");
            }

            var path = parse.GetValue(eventFile)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"The event file '{path}' does not exist.");
            }

            var date = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            if (parse.GetValue(today) is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                throw new UsageException("--today must be a date (yyyy-MM-dd).");
            }

            var (policy, errors) = PolicyFolders.Load(folders[0]);
            if (policy is null)
            {
                foreach (var error in errors)
                {
                    console.Out.WriteLine($"error: {error}");
                }

                return ExitCodes.Failed;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var evt = document.RootElement;
            if (evt.ValueKind == JsonValueKind.Object && evt.TryGetProperty("input", out var input) && evt.TryGetProperty("expect", out _))
            {
                evt = input;
            }

            var domains = parse.GetValue(domain) is { Length: > 0 } given ? given : null;
            IReadOnlyDictionary<string, IReadOnlyList<string>>? values = null;
            if (parse.GetValue(value) is { Length: > 0 } pairs)
            {
                if (pairs.FirstOrDefault(p => p.IndexOf('=', StringComparison.Ordinal) is <= 0 || p.EndsWith('=')) is { } bad)
                {
                    throw new UsageException($"--value '{bad}' must be set=value (e.g. location=back-bay).");
                }

                values = pairs.Select(p => p.Split('=', 2)).GroupBy(p => p[0], StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p[1])], StringComparer.Ordinal);
            }

            var practice = FixturePractice.Create(policy.Name, parse.GetValue(serviceArea) ?? [], domains, values);
            var explanation = PolicyExplainer.Explain(policy, evt, practice, date, parse.GetValue(endpoint), parse.GetValue(showValues));
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                var options = new JsonSerializerOptions
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                    Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
                };

                // The forwarded event as a JSON object of the document, not as a string holding JSON.
                var json = JsonSerializer.SerializeToNode(explanation, options)!.AsObject();
                json["output"] = explanation.Output is { } output ? System.Text.Json.Nodes.JsonNode.Parse(output) : null;
                console.Out.WriteLine(json.ToJsonString(options));
            }
            else
            {
                WriteTable(console, policy.Name, policy.Version, explanation, parse.GetValue(showValues));
            }

            return parse.GetValue(strict) && explanation.Warnings.Any() ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(CliConsole console, string vertical, string version, EventExplanation explanation, bool showValues)
    {
        console.Out.WriteLine($"Policy {vertical} {version}: event type {explanation.EventType ?? "(none: not listed)"}, disposition {explanation.Disposition}{(explanation.Reason is null ? string.Empty : " (" + explanation.Reason + ")")}. Dry run: nothing was sent or audited.");
        foreach (var violation in explanation.Violations)
        {
            console.Out.WriteLine($"  schema violation: {violation.Path}: {violation.Rule}");
        }

        var columns = new List<string> { "field", "type" };
        if (showValues)
        {
            columns.Add("value");
        }

        columns.AddRange(["action", "outcome", "rule as written", "why (where in the policy)", "derived", "detectors"]);
        var table = new Table().AddColumns([.. columns]);
        foreach (var field in explanation.Fields)
        {
            var row = new List<string> { Markup.Escape(field.Path), field.ValueKind };
            if (showValues)
            {
                row.Add(Markup.Escape(field.Value ?? string.Empty));
            }

            row.AddRange(
            [
                Markup.Escape(field.Action),
                Markup.Escape(field.Outcome),
                Markup.Escape(field.RuleText is null ? "-" : field.RuleLocation is { } at ? $"{field.RuleText} @ {at}" : field.RuleText),
                Markup.Escape(field.Why),
                Markup.Escape(string.Join(", ", field.Derived)),
                Markup.Escape(string.Join(", ", field.Detectors)),
            ]);
            table.AddRow([.. row]);
        }

        console.Ansi.Write(table);
        if (explanation.Output is { } output)
        {
            console.Out.WriteLine($"Forwarded to [{string.Join(", ", explanation.Destinations)}] as (classes: {string.Join(", ", explanation.Classes)}):");
            console.Out.WriteLine(output);
        }

        foreach (var preview in explanation.AdPreviews)
        {
            console.Out.WriteLine($"Ad destination {preview.Destination} ({preview.Kind}{(preview.Enabled ? string.Empty : ", disabled")}), as a person with consent but no HIPAA authorization: " +
                (preview.Row is { } row ? $"{preview.Mode} conversion{Environment.NewLine}{row}" : $"nothing sent ({preview.Reason})"));
        }

        foreach (var finding in explanation.Findings)
        {
            console.Out.WriteLine(finding.Expected is null
                ? $"warning: {finding.Path}: detectors still fire in the output: {string.Join(", ", finding.Detectors)}"
                : $"note: {finding.Path}: {string.Join(", ", finding.Detectors)} ({finding.Expected})");
        }

        if (!explanation.Warnings.Any() && explanation.Output is not null)
        {
            console.Out.WriteLine("No detector finds anything unexpected in the output.");
        }
    }
}
