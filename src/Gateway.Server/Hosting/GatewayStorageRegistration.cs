using Gateway.Compliance.Audit;
using Gateway.Server.Configuration;
using Gateway.Server.Durability;
using Gateway.Server.Health;
using Gateway.Storage.Baa;
using Gateway.Storage.Consent;
using Gateway.Storage.Deduplication;
using Gateway.Storage.Outbox;
using Gateway.Storage.Postgres;
using Gateway.Storage.Quarantine;
using Gateway.Storage.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using DataProtectionOptions = Gateway.Server.Configuration.DataProtectionOptions;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Hosting;

/// <summary>
/// Registers the stores (consent ledger, BAA registry, outbox, quarantine, checkpoints) and the Data
/// Protection key ring on the configured backend: SQLite and the key folder for one instance (the default),
/// or one PostgreSQL database (and schema) shared by several instances. The choice is read from configuration
/// at registration; every setting is validated at start with the rest of <see cref="GatewayOptions"/>.
/// </summary>
internal static class GatewayStorageRegistration
{
    public const string ApplicationName = "healthcare-compliance-gateway";

    public static IServiceCollection AddGatewayStores(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        var snapshot = Snapshot(configuration);
        if (snapshot.Storage.Provider == "postgres")
        {
            services.AddSingleton(sp =>
            {
                // Reading the options validates them first: a bad connection string or schema stops the start with every error.
                var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
                var postgres = options.Storage.Postgres;
                return new PostgresDatabase(
                    new PostgresConnectionSettings { ConnectionString = postgres.ConnectionString!, PasswordFile = postgres.PasswordFile, Schema = postgres.Schema },
                    ServiceHost.WorkingDirectory,
                    "gateway-" + options.InstanceId);
            });
            services.AddSingleton<IConsentLedger>(sp => CachedConsent(sp, sp.GetRequiredService<PostgresDatabase>()));
            services.AddSingleton<IBaaRegistry>(sp => new RelationalBaaRegistry(sp.GetRequiredService<PostgresDatabase>()));
            services.AddSingleton<IOutboxStore>(sp => new PostgresOutboxStore(sp.GetRequiredService<PostgresDatabase>()));
            services.AddSingleton<IQuarantineStore>(sp => new PostgresQuarantineStore(sp.GetRequiredService<PostgresDatabase>()));
            services.AddSingleton<IMessageIdLedger>(sp => new PostgresMessageIdLedger(sp.GetRequiredService<PostgresDatabase>()));
            return services;
        }

        var storagePath = snapshot.Storage.SqlitePath ?? Path.Combine(dataPath, "gateway.db");
        services.AddSingleton(sp => new SqliteDatabase(
            Path.GetFullPath(Path.Combine(ServiceHost.WorkingDirectory, storagePath)),
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Storage.BusyTimeoutMs));
        services.AddSingleton<IConsentLedger>(sp => CachedConsent(sp, sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IBaaRegistry>(sp => new RelationalBaaRegistry(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IOutboxStore>(sp => new SqliteOutboxStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IQuarantineStore>(sp => new SqliteQuarantineStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IMessageIdLedger>(sp => new SqliteMessageIdLedger(sp.GetRequiredService<SqliteDatabase>()));
        return services;
    }

    private static CachedConsentLedger CachedConsent(IServiceProvider services, Storage.Relational.RelationalDatabase database) =>
        new(new RelationalConsentLedger(database), services.GetRequiredService<IOptions<GatewayOptions>>().Value.Storage.ConsentCacheSubjects);

    /// <summary>
    /// Data Protection with one application name for every instance, keys in the key folder or the shared
    /// table, encrypted at rest with the configured certificate (retired certificates still decrypt), and the
    /// <see cref="KeyRingGuard"/> watching whichever store holds them.
    /// </summary>
    public static IServiceCollection AddGatewayDataProtection(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        var snapshot = Snapshot(configuration);
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (snapshot.DataProtection.KeyStoreFor(snapshot.Storage.Provider) == DataProtectionOptions.Postgres)
        {
            services.AddSingleton(sp => new PostgresKeyStore(Database(sp)));
            services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, sp) =>
                options.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<PostgresKeyStore>()));
            services.AddSingleton(sp => KeyRingGuard.ForStore(sp.GetRequiredService<PostgresKeyStore>(), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            var keys = Path.Combine(dataPath, "keys");
            builder.PersistKeysToFileSystem(new DirectoryInfo(keys));
            services.AddSingleton(KeyRingGuard.ForDirectory(keys));
        }

        // Problems loading them are reported (with every other setting) by GatewayOptionsValidator at start.
        var certificates = DataProtectionCertificates.Load(snapshot.DataProtection, ServiceHost.WorkingDirectory, new List<string>());
        services.AddSingleton(certificates);
        if (certificates.Current is { } current)
        {
            builder.ProtectKeysWithCertificate(current);
            builder.UnprotectKeysWithAnyCertificate([.. certificates.All]);
        }

        services.AddHealthChecks().AddReadiness<KeyRingGuard>("keys");
        return services;
    }

    /// <summary>The checkpoint store the settings choose (the instance's folder, or the shared table).</summary>
    public static IAuditCheckpointStore CheckpointStore(IServiceProvider services, AuditCheckpointOptions options, string directory) =>
        options.Store == AuditCheckpointOptions.PostgresStore
            ? new PostgresCheckpointStore(Database(services))
            : new FileCheckpointStore(directory);

    /// <summary>The shared database, after validating the options (which refuse a shared key store or checkpoints without it).</summary>
    private static PostgresDatabase Database(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        return services.GetRequiredService<PostgresDatabase>();
    }

    /// <summary>
    /// Only the sections the registration depends on are read here (a bad value elsewhere must surface through
    /// options validation with every other error, not as a binding failure now).
    /// </summary>
    private static GatewayOptions Snapshot(IConfiguration configuration)
    {
        var section = configuration.GetSection(GatewayOptions.SectionName);
        return new GatewayOptions
        {
            Storage = new StorageOptions
            {
                Provider = section["Storage:Provider"] ?? new StorageOptions().Provider,
                SqlitePath = section["Storage:SqlitePath"],
            },
            DataProtection = section.GetSection("DataProtection").Get<DataProtectionOptions>() ?? new DataProtectionOptions(),
        };
    }
}
