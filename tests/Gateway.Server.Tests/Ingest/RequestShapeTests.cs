using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;

namespace Gateway.Server.Tests.Ingest;

/// <summary>Requests the routing itself refuses still get a problem+json body that names nothing from the request.</summary>
public class RequestShapeTests(RequestShapeTests.Gateway fixture) : IClassFixture<RequestShapeTests.Gateway>
{
    public sealed class Gateway : GatewayFixture
    {
    }

    [Theory]
    [InlineData("GET", "/v1/track", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PUT", "/v1/batch", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/v1/cnry-unknown-endpoint", HttpStatusCode.NotFound)]
    [InlineData("POST", "/v2/track", HttpStatusCode.NotFound)]
    public async Task RoutingRefusals_AreProblems_QuotingNothing(string method, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("""{"userId":"cnry-route-user"}""", Encoding.UTF8, "application/json"),
        };
        var response = await fixture.Harness.Client().SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal((int)expected, (int?)JsonNode.Parse(body)!["status"]);
        Assert.DoesNotContain("cnry", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminBodyThatCannotBeBound_IsAProblem_Not5xx()
    {
        var response = await fixture.Harness.AdminClient().PostAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/consent",
            new StringContent("""{"person":{"userId":"cnry-admin-user"},"purpose":""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("cnry", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
