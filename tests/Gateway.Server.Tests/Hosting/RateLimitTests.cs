using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;

using Gateway.Testing;

namespace Gateway.Server.Tests.Hosting;

/// <summary>Per write key token buckets: one practice is throttled with 429 + Retry-After while another is not.</summary>
public class RateLimitTests
{
    private static Dictionary<string, string?> Limits(int perSecond, int burst, int adminPerSecond = 5, int adminBurst = 30) => new()
    {
        ["Gateway:RateLimit:RequestsPerSecond"] = perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:RateLimit:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:RateLimit:AdminRequestsPerSecond"] = adminPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:RateLimit:AdminBurst"] = adminBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task OnePracticeOverItsLimit_Gets429WithRetryAfter_WhileAnotherPracticeStillGets200()
    {
        await using var gateway = await GatewayHarness.StartAsync(Limits(perSecond: 1, burst: 3));
        var dental = gateway.Client(GatewayHarness.DentalPractice);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10; i++)
        {
            var response = await dental.PostAsync("track", Events.ServicePageViewed());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
        }

        // Three at once (the burst), at most one more per second after that.
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 3, 5);
        Assert.NotNull(limited);
        Assert.Equal("application/problem+json", limited!.Content.Headers.ContentType!.MediaType);
        Assert.Equal("urn:gateway:problem:rate-limited", (string?)JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["type"]);
        var retryAfter = limited.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), gateway.Upstream.Requests.Count);

        var healthcare = gateway.Client(GatewayHarness.HealthcarePractice);
        Assert.Equal(HttpStatusCode.OK, (await healthcare.PostAsync("track", Events.ServicePageViewed())).StatusCode);

        await Task.Delay(retryAfter + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await dental.PostAsync("track", Events.ServicePageViewed())).StatusCode);
    }

    [Fact]
    public async Task InventedWriteKeys_ShareTheClientsAddressBucket_AndBuyNoNewOnes()
    {
        await using var gateway = await GatewayHarness.StartAsync(Limits(perSecond: 1, burst: 3));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            var client = gateway.AnonymousClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"wk_guess_{i}:")));
            statuses.Add((await client.PostAsync("track", Events.ServicePageViewed())).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        // A practice with a real key has its own bucket, untouched by the guesses from the same address.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_AreNeverLimited()
    {
        await using var gateway = await GatewayHarness.StartAsync(Limits(perSecond: 1, burst: 1));
        var client = gateway.AnonymousClient();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }
    }

    [Fact]
    public async Task AdminSurface_HasItsOwnStricterBucket_ForFailedAndSuccessfulCalls()
    {
        await using var gateway = await GatewayHarness.StartAsync(Limits(perSecond: 100, burst: 200, adminPerSecond: 1, adminBurst: 2), withBaa: false);
        var guesser = gateway.AdminClient("not-an-admin-key");
        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            guesses.Add((await guesser.GetAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, guesses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, guesses);

        // The configured admin key has its own bucket; ingest is not affected by the admin limit.
        Assert.Equal(HttpStatusCode.OK, (await gateway.AdminClient().GetAsync($"/admin/v1/practices/{GatewayHarness.DentalPractice}/baa")).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
        }
    }

    [Fact]
    public async Task Disabled_NeverAnswers429()
    {
        var settings = Limits(perSecond: 1, burst: 1);
        settings["Gateway:RateLimit:Enabled"] = "false";
        await using var gateway = await GatewayHarness.StartAsync(settings);
        for (var i = 0; i < 6; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await gateway.Client().PostAsync("track", Events.ServicePageViewed())).StatusCode);
        }
    }
}
