using System.Reflection;

namespace Gateway.DevStack;

/// <summary>Where everything is: the repository, the built services, the data folders, the ports.</summary>
internal sealed record StackLayout(string Root)
{
    public const int GatewayPort = 5080;
    public const int AdminPort = 5090;
    public const int ScoringPort = 5081;
    public const string Practice = "demo-dental";
    public const string PseudonymKeyId = "demo1";

    public string Policies => Path.Combine(Root, "policies");

    public string Data => Path.Combine(Root, "data");

    public string DemoSecrets => Path.Combine(Data, "demo");

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
                    return new StackLayout(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException("Run this from inside the repository (Gateway.sln not found).");
    }
}
