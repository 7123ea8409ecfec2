using System.CommandLine;
using Gateway.Cli.Support;
using Gateway.Compliance.Fixtures;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>policy test</c>: runs each folder's fixtures through the engine exactly as the gateway would (nothing is
/// forwarded) and prints, for each failure, the differences: JSON path, expected, actual.
/// </summary>
internal static class PolicyTestCommand
{
    public static Command Build(CliConsole console)
    {
        var folder = new Argument<string>("policy-dir") { Description = "A vertical's policy folder, or a folder of them." };
        var command = new Command("test", "Run the fixtures of policy folders (input event -> expected output and audit actions); print a diff on failure.") { folder };
        command.SetAction(parse =>
        {
            var failed = false;
            foreach (var path in PolicyFolders.Resolve(parse.GetValue(folder)!))
            {
                var (policy, errors) = PolicyFolders.Load(path);
                if (policy is null)
                {
                    foreach (var error in errors)
                    {
                        console.Out.WriteLine($"error: {error}");
                    }

                    console.Out.WriteLine($"{Path.GetFileName(path)}: not tested, the policy does not load (run 'gatewayctl policy lint')");
                    failed = true;
                    continue;
                }

                var results = FixtureRunner.RunFolder(policy);
                if (results.Count == 0)
                {
                    console.Out.WriteLine($"{policy.Name}: no fixtures in fixtures/: every event type needs at least one");
                    failed = true;
                    continue;
                }

                foreach (var result in results)
                {
                    var name = Path.GetFileName(result.Fixture.File);
                    if (result.Passed)
                    {
                        console.Out.WriteLine($"PASS {policy.Name}/{name}");
                        continue;
                    }

                    failed = true;
                    console.Out.WriteLine($"FAIL {policy.Name}/{name}{(result.Fixture.Description is { } d ? " (" + d + ")" : string.Empty)}");
                    foreach (var difference in result.Differences)
                    {
                        console.Out.WriteLine("  " + difference);
                    }
                }

                var passed = results.Count(r => r.Passed);
                console.Out.WriteLine($"{policy.Name}: {passed} passed, {results.Count - passed} failed");
            }

            return failed ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }
}
