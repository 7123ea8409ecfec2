using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Validation;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Tokens;
using Gateway.Server.Admin;
using Gateway.Server.ComplianceConsole;
using Gateway.Server.Configuration;
using Gateway.Server.Disclosure;
using Gateway.Server.Durability;
using Gateway.Server.Forwarding;
using Gateway.Server.Health;
using Gateway.Server.Ingest;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
using Gateway.Server.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Hosting;

/// <summary>Registers the gateway's services. Everything is built once at start; options are validated at start.</summary>
internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<Admin.PmsConnectorStatusReader>();

        var dataPath = Path.GetFullPath(Path.Combine(ServiceHost.WorkingDirectory, configuration[$"{GatewayOptions.SectionName}:DataPath"] ?? new GatewayOptions().DataPath));
        services.AddSingleton(_ => new DataFolderLock(dataPath));
        services.AddGatewayDataProtection(configuration, dataPath);
        services.AddSingleton<ITokenProtector, DataProtectionTokenProtector>();

        services.AddSingleton(sp => new PolicyLoader(new PolicyEngineComponents { Tokens = sp.GetRequiredService<ITokenProtector>() }));
        services.AddSingleton<PolicyProvider>();
        services.AddHostedService<PolicyReloadService>();
        services.AddHostedService<AuditCompactionService>();
        services.AddSingleton<PracticeDirectory>();
        services.AddSingleton(sp => AuditCheckpointing.Start(sp, ServiceHost.WorkingDirectory, dataPath));
        services.AddSingleton<IAuditLog>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;

            // Resolved first, so the container disposes it after the log: the last checkpoint covers the final head.
            var checkpoints = sp.GetRequiredService<AuditCheckpointing>();
            return FileAuditLog.Open(new AuditFileOptions
            {
                Directory = checkpoints.AuditDirectory,
                InstanceId = options.InstanceId,
                MaxFileBytes = options.Audit.MaxFileMegabytes * 1024L * 1024L,
                SyncToDisk = options.Audit.SyncToDisk,
                TimeProvider = sp.GetRequiredService<TimeProvider>(),
                OnDurable = checkpoints.Writer is { } writer ? writer.OnDurable : null,
                OnSynced = sp.GetRequiredService<GatewayMetrics>().AuditSynced,
            });
        });

        services.AddGatewayStores(configuration, dataPath);
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<DisclosureDecider>();
        services.AddSingleton<DuplicateGuard>();
        services.AddHostedService<MessageIdPurgeService>();
        services.AddSingleton<OutboxState>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddSingleton<OutboxPayloadProtection>();
        services.AddSingleton<QuarantineService>();
        services.AddHostedService<OutboxDeliveryService>();
        services.AddHostedService<QuarantinePurgeService>();
        services.AddSingleton<AdminKeyDirectory>();
        services.AddSingleton<BaaRegistration>();
        services.AddSingleton<DurabilityActions>();
        services.AddComplianceConsole(configuration);

        services.AddSingleton<ObjectPool<EventProcessor>>(new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 4 }.Create<EventProcessor>());
        services.AddSingleton<IDestinationForwarder, YarpDestinationForwarder>();
        services.AddSingleton<PlatformTokens>();
        services.AddSingleton<AdPlatformForwarder>();
        services.AddSingleton<IngestPipeline>();

        services.AddHealthChecks()
            .AddCheck<AuditHealthCheck>("audit", tags: [ServiceHealth.ReadyTag])
            .AddCheck<PolicyHealthCheck>("policies", tags: [ServiceHealth.ReadyTag])
            .AddReadiness<StoreHealth>("stores");
        services.AddSingleton<DestinationVerticalsCheck>();
        services.AddHealthChecks().AddReadiness<DestinationVerticalsCheck>("destinations");

        services.AddServiceOpenApi(AdminApi.DocumentName, api => api.RelativePath?.StartsWith("admin/", StringComparison.Ordinal) == true);
        services.AddTrafficLimits();
        services.AddReverseProxy().LoadFromConfig(configuration.GetSection("ReverseProxy"));
        services.AddCors(cors => cors.AddPolicy(IngestCors.PolicyName, policy => policy
            .AllowAnyOrigin()
            .WithMethods("POST")
            .WithHeaders("Content-Type", "Authorization", "Content-Encoding")));
        return services;
    }
}
