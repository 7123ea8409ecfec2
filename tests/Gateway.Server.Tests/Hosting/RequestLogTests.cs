using System.Net;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Hosting;

/// <summary>
/// Request lines: a failed request is always logged; an accepted one only at <c>Logging:Requests:SuccessLevel</c>
/// (Debug by default, below the shipped Information level), since every accepted event is audited anyway.
/// </summary>
public class RequestLogTests
{
    [Fact]
    public async Task ByDefault_AFailedRequestIsLogged_AndAnAcceptedOneIsNot()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
        var unauthorized = gateway.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await unauthorized.PostAsync("track", Events.ServicePageViewed())).StatusCode);

        var lines = await RequestLinesAsync(gateway, expected: "responded 401");
        Assert.True(lines.Any(l => l.Contains("/v1/track", StringComparison.Ordinal) && l.Contains("responded 401", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.DoesNotContain(lines, l => l.Contains("responded 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithSuccessLevelInformation_AcceptedRequestsAreLoggedToo()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Logging:Requests:SuccessLevel"] = "Information" });
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);

        var lines = await RequestLinesAsync(gateway, expected: "responded 200");
        Assert.True(lines.Any(l => l.Contains("/v1/track", StringComparison.Ordinal) && l.Contains("responded 200", StringComparison.Ordinal)), string.Join("\n", lines));
    }

    private static async Task<List<string>> RequestLinesAsync(GatewayHarness gateway, string expected)
    {
        List<string> lines = [];
        await Wait.UntilAsync(() =>
        {
            lines = [.. gateway.ReadAllAuditAndLogs().Split('\n').Where(l => l.Contains(" responded ", StringComparison.Ordinal))];
            return lines.Any(l => l.Contains(expected, StringComparison.Ordinal));
        }, "the request line '" + expected + "' in the gateway's log");
        return lines;
    }
}
