using System.CommandLine;
using Gateway.Cli.Support;
using Gateway.Compliance.Fixtures;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>policy lint</c>: every load-time check the gateway runs (format schema, semantic rules, schemas), without
/// starting it, with every error's file, line and policy path; that the scoring service can score the vertical (its
/// <c>scoring.yaml</c> passes the scoring service's load-time checks, including its conditions against what the policy
/// forwards); plus that every fixture can be read.
/// </summary>
internal static class PolicyLintCommand
{
    public static Command Build(CliConsole console)
    {
        var folder = new Argument<string>("policy-dir") { Description = "A vertical's policy folder, or a folder of them (e.g. policies)." };
        var command = new Command("lint", "Run the gateway's load-time checks on policy folders; print every error with file:line and path.") { folder };
        command.SetAction(parse =>
        {
            var failed = false;
            foreach (var path in PolicyFolders.Resolve(parse.GetValue(folder)!))
            {
                var (policy, policyErrors) = PolicyFolders.Load(path);
                var scoringErrors = ScoringFiles.Check(path, policy?.Name ?? Path.GetFileName(path));
                // The policy folder loader also checks scoring.yaml against what the policy forwards: print each error once.
                var errors = policyErrors.Select(e => e.ToString()).Concat(scoringErrors).Distinct(StringComparer.Ordinal).ToList();
                foreach (var error in errors)
                {
                    console.Out.WriteLine($"error: {error}");
                }

                if (policy is null || scoringErrors.Count > 0)
                {
                    failed = true;
                    console.Out.WriteLine($"{Path.GetFileName(path)}: {errors.Count} error(s)");
                }
                else
                {
                    console.Out.WriteLine($"{policy.Name}: ok ({policy.Version}, {policy.EventTypes.Count} event types, {PolicyFixture.LoadFolder(path).Count} fixtures, sha256 {policy.Sha256[..12]})");
                }
            }

            return failed ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }
}
