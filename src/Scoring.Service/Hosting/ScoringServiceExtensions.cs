using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scoring.Service.Handoffs;
using Scoring.Service.Handoffs.Senders;
using Scoring.Service.Ingest;
using Scoring.Service.Leads;
using Scoring.Service.Options;
using Scoring.Service.Storage;
using Scoring.Service.Storage.Postgres;
using Scoring.Service.Storage.Sqlite;

namespace Scoring.Service.Hosting;

/// <summary>Registers the scoring service's options (validated at start), store, hand-offs, services and JSON conventions.</summary>
internal static class ScoringServiceExtensions
{
    public static WebApplicationBuilder AddScoringServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateOnStart();
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.Section).ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddOptions<HandoffOptions>().BindConfiguration(HandoffOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddSingleton<IValidateOptions<ScoringOptions>, ScoringOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<HandoffOptions>, HandoffOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<ScoringOptions>, ScoringPaths>();
        services.AddSingleton<IPostConfigureOptions<StorageOptions>, StoragePaths>();
        if (builder.Environment.IsDevelopment())
        {
            services.AddSingleton<IPostConfigureOptions<IngestOptions>, DevelopmentSecrets>();
            services.AddSingleton<IPostConfigureOptions<ApiOptions>, DevelopmentSecrets>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ScoringCatalog>();
        if (string.Equals(builder.Configuration[$"{StorageOptions.Section}:Provider"], StorageOptions.PostgresProvider, StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<RelationalLeadStore, PostgresLeadStore>();
        }
        else
        {
            services.AddSingleton<RelationalLeadStore, SqliteLeadStore>();
        }

        // One store holds the leads and the hand-off outbox, so a stage change and its hand-offs commit together.
        services.AddSingleton<ILeadStore>(sp => sp.GetRequiredService<RelationalLeadStore>());
        services.AddSingleton<IHandoffOutbox>(sp => sp.GetRequiredService<RelationalLeadStore>());
        services.AddSingleton<HandoffDestinations>();
        services.AddSingleton<HandoffPublisher>();
        services.AddHttpClient(HttpDelivery.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers(); // request lines would name Slack webhook URLs, which are secrets
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IHandoffSender, WebhookSender>(),
            ServiceDescriptor.Singleton<IHandoffSender, SlackSender>(),
            ServiceDescriptor.Singleton<IHandoffSender, EmailSender>(),
            ServiceDescriptor.Singleton<IHandoffSender, HubSpotSender>(),
            ServiceDescriptor.Singleton<IHandoffSender, SalesforceSender>(),
        ]);
        services.AddSingleton<HandoffWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<HandoffWorker>());
        services.AddSingleton<LeadService>();
        services.AddSingleton<IngestService>();
        services.AddHostedService<StartupTasks>();
        services.AddSingleton<ScoringMetrics>();
        services.AddHostedService<SlaMonitor>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [ServiceHealth.ReadyTag]);
        services.AddServiceOpenApi("v1");
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        return builder;
    }
}
