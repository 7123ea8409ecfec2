using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Scoring.Tests.Functional;

public sealed class OpenApiTests
{
    private static readonly string[] s_operational = ["/health", "/metrics", "/openapi", "/scalar"];

    [Fact]
    public async Task OpenApiDocument_ListsEveryMappedApiEndpoint()
    {
        using var factory = new ScoringServiceFactory();
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/'), e.Metadata.GetMetadata<HttpMethodMetadata>()))
            .Where(e => e.Item2 is not null && !s_operational.Any(o => e.Path.StartsWith(o, StringComparison.Ordinal)))
            .SelectMany(e => e.Item2!.HttpMethods.Select(m => (e.Path, Method: m.ToLowerInvariant())))
            .ToList();
        Assert.Contains(("/ingest/v1/batch", "post"), mapped);
        Assert.Contains(("/ingest/v1/verticals", "get"), mapped);
        foreach (var (path, method) in mapped)
        {
            var documented = paths.FirstOrDefault(p => p.Key.TrimEnd('/') == path).Value;
            Assert.True(documented?[method] is not null, $"{method.ToUpperInvariant()} {path} is missing from the scoring OpenAPI document");
        }
    }

    [Fact]
    public async Task Verticals_NeedTheIngestToken_AndListEveryLoadedVertical()
    {
        using var factory = new ScoringServiceFactory();
        var anonymous = await factory.CreateClient().GetAsync("/ingest/v1/verticals");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ScoringServiceFactory.IngestToken);
        var verticals = JsonNode.Parse(await client.GetStringAsync("/ingest/v1/verticals"))!["verticals"]!.AsArray();
        Assert.Equal(["dental", "digital-health", "healthcare"], verticals.Select(v => (string)v!["name"]!).ToArray());
        Assert.All(verticals, v => Assert.Equal(64, ((string)v!["sha256"]!).Length));
    }
}
