using System.Globalization;
using System.Reflection;

namespace Gateway.DevStack;

/// <summary>
/// Where everything is: the repository, the built services, the data folders, the ports. The defaults are the
/// README's (<c>data/</c>, ports 5080, 5090, 5081); <c>DEVSTACK_DATA</c>, <c>DEVSTACK_GATEWAY_PORT</c>,
/// <c>DEVSTACK_ADMIN_PORT</c> and <c>DEVSTACK_SCORING_PORT</c> move them (tests run a stack beside yours).
/// </summary>
internal sealed record StackLayout(string Root)
{
    public const string Practice = "demo-dental";
    public const string PseudonymKeyId = "demo1";

    public int GatewayPort { get; init; } = 5080;

    public int AdminPort { get; init; } = 5090;

    public int ScoringPort { get; init; } = 5081;

    public string Policies => Path.Combine(Root, "policies");

    public string Data { get; init; } = Path.Combine(Root, "data");

    public string DemoSecrets => Path.Combine(Data, "demo");

    /// <summary>The children of the running stack (name, PID, start time), so the next start can find stale ones.</summary>
    public string PidFile => Path.Combine(Data, "devstack.pids");

    public Uri Gateway => new($"http://127.0.0.1:{GatewayPort}");

    public Uri Admin => new($"http://127.0.0.1:{AdminPort}");

    public Uri Scoring => new($"http://127.0.0.1:{ScoringPort}");

    public static string BuiltDll(string name) =>
        Path.GetFullPath(typeof(StackLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value!);

    public static StackLayout Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
                {
                    var layout = new StackLayout(dir.FullName);
                    return layout with
                    {
                        Data = Environment.GetEnvironmentVariable("DEVSTACK_DATA") is { Length: > 0 } data ? Path.GetFullPath(data) : layout.Data,
                        GatewayPort = Port("DEVSTACK_GATEWAY_PORT", layout.GatewayPort),
                        AdminPort = Port("DEVSTACK_ADMIN_PORT", layout.AdminPort),
                        ScoringPort = Port("DEVSTACK_SCORING_PORT", layout.ScoringPort),
                    };
                }
            }
        }

        throw new InvalidOperationException("Run this from inside the repository (Gateway.sln not found).");
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback;
}
