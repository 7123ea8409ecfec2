using Gateway.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayLogging();
builder.Services.AddGateway(builder.Configuration, builder.Environment);

var app = builder.Build();
app.MapGateway();
app.Run();

/// <summary>The gateway host (entry point; exposed for WebApplicationFactory in tests).</summary>
public partial class Program;
