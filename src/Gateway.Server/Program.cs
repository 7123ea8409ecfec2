using Gateway.Server.Hosting;

if (HealthProbe.TryRun(args, out var probeExitCode))
{
    return probeExitCode;
}

var builder = ServiceHost.CreateBuilder(args);
builder.AddGatewayLogging();
builder.AddServiceTelemetry("gateway", [GatewayMetrics.MeterName], [GatewayTracing.SourceName]);
builder.Services.AddGateway(builder.Configuration);

var app = builder.Build();
app.MapGateway();
app.Run();
return 0;

/// <summary>The gateway host (entry point; exposed for WebApplicationFactory in tests).</summary>
public partial class Program;
