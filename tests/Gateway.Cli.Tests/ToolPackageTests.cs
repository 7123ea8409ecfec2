using System.Diagnostics;
using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests;

/// <summary>gatewayctl packs as a .NET tool that installs from a local folder and runs (one test: packing takes seconds).</summary>
public class ToolPackageTests : IDisposable
{
    private readonly TempDirectory _work = new("tool");

    public void Dispose() => _work.Dispose();

    [Fact]
    public void PackedTool_Installs_WithDotnetToolInstall_AndRuns()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var packages = Path.Combine(_work.Path, "nupkg");
        var project = Path.Combine(RepoPaths.Root, "src", "Gateway.Cli", "Gateway.Cli.csproj");
        Run("dotnet", "pack", project, "-c", configuration, "--no-build", "-o", packages);
        Assert.Single(Directory.GetFiles(packages, "Gateway.Cli.*.nupkg"));

        // Only the local folder as a source, and a private package cache: the tool installed is the one just packed.
        var config = Path.Combine(_work.Path, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(_work.Path, "tools");
        Run("dotnet", "tool", "install", "Gateway.Cli", "--tool-path", tools, "--add-source", packages, "--configfile", config);

        var gatewayctl = Path.Combine(tools, OperatingSystem.IsWindows() ? "gatewayctl.exe" : "gatewayctl");
        Assert.Contains("audit", Run(gatewayctl, "--help"));
        Assert.Contains("dental: ok", Run(gatewayctl, "policy", "lint", RepoPaths.Policies));

        // The template travels inside the tool.
        var policies = Path.Combine(_work.Path, "policies");
        Directory.CreateDirectory(policies);
        Run(gatewayctl, "policy", "new", "chiropractic", "--into", policies);
        Assert.Contains("chiropractic: 5 passed, 0 failed", Run(gatewayctl, "policy", "test", policies));
    }

    private string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file == "dotnet" ? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _work.Path,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NUGET_PACKAGES"] = Path.Combine(_work.Path, "packages-cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"{file} {string.Join(' ', args)} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{output.Result}\n{error.Result}");
        return output.Result;
    }
}
