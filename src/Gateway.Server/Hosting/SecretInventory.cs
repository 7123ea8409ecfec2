using Gateway.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Hosting;

/// <summary>
/// Logs at start which secrets the gateway found and where they came from (inline setting or file), never
/// their values. Missing ones stop the start through options validation, which names each one.
/// </summary>
internal static partial class SecretInventory
{
    public static void Log(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Secrets");
        foreach (var practice in options.Practices)
        {
            var keys = string.Join(", ", practice.PseudonymKeys.Select(k => $"{k.Id}{(k.Active ? " (active)" : string.Empty)} from {(k.SecretFile is null ? "settings" : "file")}"));
            Found(logger, practice.Id, practice.WriteKeySha256.Count, keys);
        }

        Forwarding(logger, options.Forwarding.TokenFile is null ? "settings" : "file");
        Admin(logger, options.Admin.Keys.Count);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Practice {Practice}: {WriteKeys} write key hash(es); pseudonym keys: {Keys}")]
    private static partial void Found(ILogger logger, string practice, int writeKeys, string keys);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Destination token found (from {Source})")]
    private static partial void Forwarding(ILogger logger, string source);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "{Count} admin key hash(es) configured")]
    private static partial void Admin(ILogger logger, int count);
}
