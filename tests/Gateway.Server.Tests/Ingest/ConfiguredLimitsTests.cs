using System.Net;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Ingest;

/// <summary>Every body limit comes from <c>Gateway:Limits</c>: the engine enforces the configured per-event size, not Segment's 32 KB.</summary>
public sealed class ConfiguredLimitsTests(ConfiguredLimitsTests.Gateway fixture) : IClassFixture<ConfiguredLimitsTests.Gateway>
{
    public sealed class Gateway : GatewayFixture
    {
        protected override Dictionary<string, string?> Settings => new()
        {
            ["Gateway:Limits:MaxEventBytes"] = (64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static JsonObject EventOfAbout(int bytes, string messageId)
    {
        var e = Events.ServicePageViewed(messageId);
        e["context"]!["padding"] = new string('x', bytes);
        return e;
    }

    [Fact]
    public async Task EventOver32KbButUnderTheConfiguredLimit_IsForwarded()
    {
        var response = await fixture.Harness.Client().PostAsync("batch", Events.Batch(EventOfAbout(40 * 1024, "limits-40k")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Durability.OutboxTests.Pseudonym("limits-40k"), fixture.Harness.Upstream.MessageIds);
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("track")]
    public async Task EventOverTheConfiguredLimit_Is413(string endpoint)
    {
        var e = EventOfAbout(70 * 1024, "limits-70k-" + endpoint);
        var response = await fixture.Harness.Client().PostAsync(endpoint, endpoint == "batch" ? Events.Batch(e) : e);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.DoesNotContain(Durability.OutboxTests.Pseudonym("limits-70k-" + endpoint), fixture.Harness.Upstream.MessageIds);
    }
}
