using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;
using Gateway.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Server.Tests.Hosting;

public sealed class OpenApiAndReadinessTests
{
    [Fact]
    public async Task AdminOpenApiDocument_ListsEveryMappedAdminEndpoint_AndNothingElse()
    {
        await using var gateway = await GatewayHarness.StartAsync(withBaa: false);
        var document = JsonNode.Parse(await gateway.AnonymousClient().GetStringAsync("/openapi/admin.json"))!;
        var paths = document["paths"]!.AsObject();

        var mapped = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("admin/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => ("/" + e.RoutePattern.RawText!.TrimStart('/'), m.ToLowerInvariant())))
            .ToList();
        Assert.True(mapped.Count >= 8, "the admin API maps consent, BAA and durability endpoints");
        foreach (var (template, method) in mapped)
        {
            // The document names route parameters without their constraints ({id:long} is {id}).
            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+):[^}]+\}", "{$1}");
            Assert.True(paths[path]?[method] is not null, $"{method.ToUpperInvariant()} {path} is missing from the admin OpenAPI document");
        }

        Assert.All(paths.Select(p => p.Key), p => Assert.StartsWith("/admin/", p));
    }

    [Fact]
    public async Task Readiness_IsFalse_WhileTheDestinationCannotScoreAPracticesVertical()
    {
        var upstream = await CapturingUpstream.StartAsync();
        upstream.Verticals = ["healthcare"];
        await using var gateway = await GatewayHarness.StartAsync(upstream: upstream, withBaa: false);

        var ready = await gateway.AnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var reason = (string?)JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!["destinations"]!["reason"];
        Assert.Contains("cannot score vertical 'dental'", reason);
        Assert.Contains("cannot score vertical 'digital-health'", reason);
        Assert.DoesNotContain("'healthcare'", reason);
    }

    [Fact]
    public async Task Readiness_IsTrue_WhenTheDestinationScoresEveryVertical()
    {
        var upstream = await CapturingUpstream.StartAsync();
        upstream.Verticals = ["dental", "digital-health", "healthcare"];
        await using var gateway = await GatewayHarness.StartAsync(upstream: upstream, withBaa: false);

        Assert.Equal(HttpStatusCode.OK, (await gateway.AnonymousClient().GetAsync("/health/ready")).StatusCode);
    }
}
