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
        var root = ServiceHost.WorkingDirectory;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Secrets");
        foreach (var practice in options.Practices)
        {
            var keys = string.Join(", ", practice.PseudonymKeys.Select(k => $"{k.Id}{(k.Active ? " (active)" : string.Empty)} from {SecretReader.Source(k.SecretFile, root)}"));
            Found(logger, practice.Id, practice.WriteKeySha256.Count, keys);
        }

        Forwarding(logger, options.Forwarding.TokenFile is null ? "settings" : "file");
        Admin(logger, options.Admin.Keys.Count);

        var postgres = options.Storage.Postgres;
        if (options.Storage.Provider == "postgres")
        {
            Database(logger, new Storage.Postgres.PostgresConnectionSettings { ConnectionString = postgres.ConnectionString ?? string.Empty, Schema = postgres.Schema }.Describe(),
                string.IsNullOrWhiteSpace(postgres.PasswordFile) ? "none configured (trust or certificate authentication)" : $"file {postgres.PasswordFile}");
        }

        var protection = options.DataProtection;
        KeyRing(logger, protection.KeyStoreFor(options.Storage.Provider),
            protection.CertificatePath is null ? "not encrypted at rest (set Gateway:DataProtection:CertificatePath in production)" : $"encrypted with the certificate {protection.CertificatePath}",
            protection.RetiredCertificates.Count);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Practice {Practice}: {WriteKeys} write key hash(es); pseudonym keys: {Keys}")]
    private static partial void Found(ILogger logger, string practice, int writeKeys, string keys);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Destination token found (from {Source})")]
    private static partial void Forwarding(ILogger logger, string source);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "{Count} admin key hash(es) configured")]
    private static partial void Admin(ILogger logger, int count);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Storage: PostgreSQL {Database}; password: {PasswordSource}")]
    private static partial void Database(ILogger logger, string database, string passwordSource);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Data Protection key ring in {KeyStore}, {Protection}; {Retired} retired certificate(s)")]
    private static partial void KeyRing(ILogger logger, string keyStore, string protection, int retired);
}
