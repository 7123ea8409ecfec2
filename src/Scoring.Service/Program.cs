using Scoring.Service.Apis;
using Scoring.Service.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddScoringServices();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthApi();
app.MapIngestApi();
app.MapLeadsApi();
app.MapMqlApi();
app.MapFunnelApi();
app.Run();

/// <summary>The scoring service host; public so functional tests can start it with <c>WebApplicationFactory</c>.</summary>
public partial class Program;
