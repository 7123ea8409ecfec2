using Scoring.Service.Apis;
using Scoring.Service.Hosting;

if (args is ["probe", ..])
{
    // Container health check: exit 0 when the running service is ready (the runtime image has no curl).
    using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
    try
    {
        return (await probe.GetAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:8080/health/ready")).IsSuccessStatusCode ? 0 : 1;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        return 1;
    }
}

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceLogging(builder.Configuration["Scoring:LogPath"] is { } logs ? ServiceHost.ResolvePath(logs) : null, "scoring");
builder.AddServiceTelemetry("scoring", [ScoringMetrics.Name], [ScoringMetrics.Name]);
builder.AddScoringServices();

var app = builder.Build();
app.UseExceptionHandler();
app.UseServiceRequestLogging();
app.UseStatusCodePages();
app.MapServiceHealth();
app.MapServiceMetrics();
app.MapServiceOpenApi();
app.MapIngestApi();
app.MapVerticalsApi();
app.MapLeadsApi();
app.MapMqlApi();
app.MapFunnelApi();
app.Run();
return 0;

/// <summary>The scoring service host; public so functional tests can start it with <c>WebApplicationFactory</c>.</summary>
public partial class Program;
