using System.Collections.Frozen;
using System.Reflection;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// The console's stylesheet and script, embedded in the gateway and served by it (no CDN, no build chain):
/// <c>/console/assets/{name}</c>. The Content-Security-Policy allows scripts and styles from here only.
/// </summary>
internal static class ConsoleAssets
{
    public const string Prefix = "/console/assets";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> s_assets = Load();

    public static bool IsAsset(PathString path) => path.StartsWithSegments(Prefix);

    public static IEndpointRouteBuilder MapConsoleAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Prefix + "/{name}", (string name) =>
            s_assets.TryGetValue(name, out var asset) ? Results.Bytes(asset.Content, asset.Type) : Results.NotFound())
            .ExcludeFromDescription();
        return endpoints;
    }

    private static FrozenDictionary<string, (byte[] Content, string Type)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in new[] { "console.css", "console.js" })
        {
            using var stream = assembly.GetManifestResourceStream("Gateway.Server.ComplianceConsole.Assets." + name)
                ?? throw new InvalidOperationException($"The console asset {name} is not embedded.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name] = (copy.ToArray(), name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
