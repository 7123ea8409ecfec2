using System.CommandLine;
using Gateway.Cli.Support;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>policy new</c>: scaffolds a vertical's policy folder from the documented template (templates/policy);
/// the result passes <c>policy lint</c> and <c>policy test</c> as it is.
/// </summary>
internal static class PolicyNewCommand
{
    public static Command Build(CliConsole console)
    {
        var vertical = new Argument<string>("vertical") { Description = "The new vertical's name (lower case, digits and '-'): also the folder name." };
        var into = new Option<string>("--into") { Description = "The policies folder to create it in.", DefaultValueFactory = _ => "policies" };
        var command = new Command("new", "Scaffold a policy folder (policy, schemas, fixtures, scoring) from the documented template.") { vertical, into };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(vertical)!;
            if (!PolicyTemplate.IsValidName(name))
            {
                throw new UsageException("The vertical's name must be 1-40 characters: lower-case letters, digits and '-', starting with a letter.");
            }

            var root = parse.GetValue(into)!;
            if (!Directory.Exists(root))
            {
                throw new UsageException($"The policies folder '{root}' does not exist.");
            }

            var target = Path.Combine(root, name);
            if (Directory.Exists(target) || File.Exists(target))
            {
                throw new UsageException($"'{target}' exists: choose another name or remove it first.");
            }

            var files = PolicyTemplate.WriteTo(target, name);
            foreach (var file in files)
            {
                console.Out.WriteLine($"created {Path.Combine(target, file)}");
            }

            var (policy, errors) = PolicyFolders.Load(target);
            var scoringErrors = ScoringFiles.Check(target, name, policy);
            foreach (var error in errors.Select(e => e.ToString()).Concat(scoringErrors))
            {
                console.Out.WriteLine($"error: {error}");
            }

            if (policy is null || scoringErrors.Count > 0)
            {
                return ExitCodes.Failed;
            }

            console.Out.WriteLine($"""

                Next steps (docs/adding-a-vertical.md):
                  1. Describe your events in {Path.Combine(target, "schemas")} and name what to keep in {Path.Combine(target, "policy.yaml")};
                     weigh them for the scoring service in {Path.Combine(target, "scoring.yaml")}.
                  2. gatewayctl policy lint {target}
                  3. gatewayctl policy explain {target} <sample-event.json>
                  4. Add a fixture per event type, then: gatewayctl policy test {target}
                  5. gatewayctl policy diff <old copy> {target}   (for the pull request)
                """);
            return ExitCodes.Success;
        });
        return command;
    }
}
