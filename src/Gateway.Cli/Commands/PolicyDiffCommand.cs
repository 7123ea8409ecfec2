using System.CommandLine;
using System.Text.Json;
using Gateway.Cli.Support;
using Gateway.Compliance.Policies;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>policy diff</c>: what would change between two versions of a vertical's policy, per event type and
/// field, and in the output of every fixture of either version, so a reviewer sees a change's effect.
/// </summary>
internal static class PolicyDiffCommand
{
    public static Command Build(CliConsole console)
    {
        var before = new Argument<string>("old") { Description = "The policy folder before the change (e.g. a checkout of main)." };
        var after = new Argument<string>("new") { Description = "The policy folder after the change." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var exitCode = new Option<bool>("--exit-code") { Description = "Exit 1 when the policies differ (as 'git diff --exit-code')." };
        var command = new Command("diff", "What changes per event type and field between two versions of a policy, and in every fixture's output.")
        {
            before, after, format, exitCode,
        };
        command.SetAction(parse =>
        {
            var oldFolders = PolicyFolders.Resolve(parse.GetValue(before)!);
            var newFolders = PolicyFolders.Resolve(parse.GetValue(after)!);
            if (oldFolders.Count != 1 || newFolders.Count != 1)
            {
                throw new UsageException("Give two folders of one vertical each (with a policy.yaml).");
            }

            var (oldPolicy, oldErrors) = PolicyFolders.Load(oldFolders[0]);
            var (newPolicy, newErrors) = PolicyFolders.Load(newFolders[0]);
            foreach (var error in oldErrors.Select(e => "old: " + e).Concat(newErrors.Select(e => "new: " + e)))
            {
                console.Out.WriteLine($"error: {error}");
            }

            if (oldPolicy is null || newPolicy is null)
            {
                return ExitCodes.Failed;
            }

            var diff = PolicyDiff.Compare(oldPolicy, newPolicy);
            if (parse.GetValue(format) == "json")
            {
                console.Out.WriteLine(JsonSerializer.Serialize(diff, new JsonSerializerOptions
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }));
            }
            else
            {
                WriteText(console.Out, oldPolicy, newPolicy, diff);
            }

            return parse.GetValue(exitCode) && diff.HasChanges ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }

    private static void WriteText(TextWriter output, CompiledPolicy before, CompiledPolicy after, PolicyDiffResult diff)
    {
        output.WriteLine($"{before.Name} {before.Version} ({before.Sha256[..12]}) → {after.Name} {after.Version} ({after.Sha256[..12]})");
        if (!diff.HasChanges)
        {
            output.WriteLine($"No changes: rules, settings and the output of all {diff.FixturesCompared} fixtures are the same.");
            return;
        }

        Section(output, "Settings", diff.Settings);
        Section(output, "Event types added (new events forwarded)", diff.AddedEventTypes);
        Section(output, "Event types removed (now dropped or rejected as unlisted)", diff.RemovedEventTypes);
        if (diff.FieldChanges.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Field rules:");
            foreach (var group in diff.FieldChanges.GroupBy(c => c.EventType))
            {
                output.WriteLine(group.Key == PolicyDiff.AllEventTypes ? "  every event type (common fields):" : $"  {group.Key}:");
                foreach (var change in group)
                {
                    var text = change.Change switch
                    {
                        "added" => $"+ {change.Path}: {change.After}",
                        "removed" => $"- {change.Path}: {change.Before} (now dropped: no rule)",
                        _ => $"~ {change.Path}: {change.Before} → {change.After} [{string.Join(", ", change.Aspects)}]",
                    };
                    var at = change.AfterLocation ?? change.BeforeLocation;
                    output.WriteLine($"    {text}{(at is null ? string.Empty : $"  ({(change.AfterLocation is null ? "old " : string.Empty)}{at})")}");
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"Fixtures: {diff.FixtureChanges.Count} of {diff.FixturesCompared} change their outcome, output or audit.");
        foreach (var fixture in diff.FixtureChanges)
        {
            output.WriteLine($"  {fixture.Fixture}{(fixture.EventType is null ? string.Empty : " (" + fixture.EventType + ")")}:");
            foreach (var difference in fixture.Differences)
            {
                output.WriteLine("    " + difference);
            }
        }
    }

    private static void Section(TextWriter output, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(title + ":");
        foreach (var line in lines)
        {
            output.WriteLine("  " + line);
        }
    }
}
