using Gateway.Compliance.Audit;
using Gateway.Server.Admin;
using Gateway.Server.ComplianceConsole;
using Gateway.Storage.Baa;
using Gateway.Storage.Consent;
using Gateway.Server.Health;
using Gateway.Server.Ingest;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
using Microsoft.AspNetCore.Diagnostics;

namespace Gateway.Server.Hosting;

/// <summary>Maps the gateway's surfaces and builds its singletons eagerly, so a bad policy or key stops the start.</summary>
internal static class GatewayApplicationExtensions
{
    public static WebApplication MapGateway(this WebApplication app)
    {
        // Fail at start, not on the first request: policies, practices and the audit log are built now, after this
        // process has made the data folder its own.
        app.Services.GetRequiredService<DataFolderLock>();
        app.Services.GetRequiredService<PolicyProvider>();
        app.Services.GetRequiredService<PracticeDirectory>();
        SecretInventory.Log(app.Services);
        app.Services.GetRequiredService<IAuditLog>();
        app.Services.GetRequiredService<IConsentLedger>();
        app.Services.GetRequiredService<IBaaRegistry>();
        app.Services.GetRequiredService<Storage.Outbox.IOutboxStore>();
        app.Services.GetRequiredService<Storage.Quarantine.IQuarantineStore>();
        app.Services.GetRequiredService<Storage.Deduplication.IMessageIdLedger>();

        // Make sure the Data Protection key ring exists now (the first start creates it), so that a key ring
        // that later goes missing is noticed instead of being silently replaced.
        app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("Gateway.Startup").Protect("key-ring-check"u8.ToArray());
        app.Lifetime.ApplicationStopped.Register(() => (app.Services.GetRequiredService<IAuditLog>() as IDisposable)?.Dispose());

        // No exception detail ever reaches a client: messages can quote request data.
        app.UseExceptionHandler(error => error.Run(async http =>
        {
            var feature = http.Features.Get<IExceptionHandlerFeature>();
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Errors")
                .LogError("Unhandled {ExceptionType} on {Path}", feature?.Error.GetType().Name, http.Request.Path.Value);
            await IngestResponses.FailureAsync(http.Response, IngestFailure.Unavailable("An unexpected error occurred; nothing was forwarded. Retry later."));
        }));
        app.UseServiceRequestLogging();
        app.UseStatusCodeProblems();
        app.UseRateLimiter();
        app.UseRouting();
        app.UseMiddleware<AdminSurfaceMiddleware>();
        app.UseCors();
        app.UseComplianceConsole();
        app.MapIngestApi();
        app.MapAdminApi();
        app.MapDurabilityAdminApi();
        app.MapPmsConnectorsAdminApi();
        app.MapServiceHealth();
        app.MapComplianceConsole();

        // Operator surfaces on the admin port only (everywhere when no admin port is set): Prometheus metrics,
        // the admin API's OpenAPI document and, in Development, its browsable reference.
        var adminPort = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.GatewayOptions>>().Value.Admin.Port;
        app.MapServiceMetrics(adminPort);
        app.MapServiceOpenApi(adminPort);

        // Loads the ReverseProxy clusters (destinations, health checks). No routes exist: nothing is passed through.
        app.MapReverseProxy();
        return app;
    }
}
