using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EndToEnd.Tests;

/// <summary>
/// The real scoring service on Kestrel (loopback) and the real gateway as an OS process in front of it,
/// each on its own SQLite file, with the shipped policies and one dental practice.
/// </summary>
public sealed class StackFixture : IAsyncDisposable
{
    public const string Practice = "e2e-dental";
    public const string IngestToken = "e2e-ingest-token-0123456789abcdef";
    public const string ScoringApiKey = "e2e-scoring-api-key";
    public const string AdminKey = "e2e-admin-key-0123456789";
    public static readonly byte[] PseudonymSecret = SHA256.HashData("e2e-pseudonym-secret"u8);

    private readonly ScoringFactory _scoring;

    private StackFixture(ScoringFactory scoring, GatewayProcess gateway, Uri scoringAddress, string root, string writeKey, string practice)
    {
        _scoring = scoring;
        Gateway = gateway;
        ScoringAddress = scoringAddress;
        Root = root;
        WriteKey = writeKey;
        PracticeId = practice;
    }

    /// <summary>The practice the gateway serves (its write key's).</summary>
    public string PracticeId { get; }

    public GatewayProcess Gateway { get; }

    public Uri ScoringAddress { get; }

    public string Root { get; }

    public string WriteKey { get; }

    /// <param name="practice">The practice id the gateway sends (a practice with a file in policies/dental/practices gets its settings).</param>
    /// <param name="scoringSettings">More settings of the scoring service (hand-off destinations).</param>
    /// <param name="scoringTime">The scoring service's clock (the gateway runs on the machine's).</param>
    /// <param name="serviceArea">The practice's service-area ZIP prefixes at the gateway (for in_service_area).</param>
    /// <param name="policies">The policies folder both services read (default: the repository's).</param>
    /// <param name="vertical">The practice's vertical.</param>
    public static async Task<StackFixture> StartAsync(
        string practice = Practice, IDictionary<string, string?>? scoringSettings = null, TimeProvider? scoringTime = null, IReadOnlyList<string>? serviceArea = null,
        string? policies = null, string vertical = "dental")
    {
        policies ??= RepoPaths.Policies;
        var root = Path.Combine(Path.GetTempPath(), "gw-e2e", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Ingest:TokenSha256"] = Sha256(IngestToken),
            ["Api:Keys:e2e"] = Sha256(ScoringApiKey),
            ["Scoring:PoliciesDirectory"] = policies,
            ["Scoring:DataDirectory"] = Path.Combine(root, "scoring"),
        };
        foreach (var (key, value) in scoringSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var scoring = new ScoringFactory(settings, scoringTime);
        scoring.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        scoring.StartServer();
        var scoringAddress = new Uri(scoring.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var writeKey = "wk_e2e_" + Guid.NewGuid().ToString("N");
        var gatewaySettings = new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = policies,
            ["Gateway:DataPath"] = Path.Combine(root, "gateway"),
            ["Gateway:InstanceId"] = "gw-e2e",
            ["Gateway:Forwarding:Token"] = IngestToken,
            ["Gateway:Practices:0:Id"] = practice,
            ["Gateway:Practices:0:Vertical"] = vertical,
            ["Gateway:Practices:0:WriteKeySha256:0"] = Sha256(writeKey),
            ["Gateway:Practices:0:PseudonymKeys:0:Id"] = "e1",
            ["Gateway:Practices:0:PseudonymKeys:0:Secret"] = Convert.ToBase64String(PseudonymSecret),
            ["Gateway:Practices:0:PseudonymKeys:0:Active"] = "true",
            ["Gateway:Admin:Keys:0:Name"] = "e2e-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = Sha256(AdminKey),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = scoringAddress.ToString(),
            ["ReverseProxy:Clusters:scoring:HealthCheck:Active:Enabled"] = "false",
        };
        var area = serviceArea ?? ["021"];
        for (var i = 0; i < area.Count; i++)
        {
            gatewaySettings[$"Gateway:Practices:0:ServiceArea:{i}"] = area[i];
        }

        var gateway = await GatewayProcess.StartAsync(gatewaySettings, GatewayProcess.FreePort());

        var stack = new StackFixture(scoring, gateway, scoringAddress, root, writeKey, practice);
        await stack.RecordBaaAsync();
        return stack;
    }

    public HttpClient GatewayClient()
    {
        var client = new HttpClient { BaseAddress = Gateway.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        return client;
    }

    public HttpClient ScoringClient()
    {
        var client = new HttpClient { BaseAddress = ScoringAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ScoringApiKey);
        return client;
    }

    public static string Pseudonym(string userId, string practice = Practice) =>
        global::Gateway.Compliance.Pseudonyms.Pseudonymizer.Pseudonymize(new global::Gateway.Compliance.Pseudonyms.PseudonymKey("e1", PseudonymSecret, practice), userId, global::Gateway.Compliance.Pseudonyms.IdentifierNormalization.Exact);

    public static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await _scoring.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RecordBaaAsync()
    {
        using var admin = new HttpClient { BaseAddress = Gateway.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var response = await admin.PostAsync($"/admin/v1/practices/{PracticeId}/baa", Events.Json(new JsonObject
        {
            ["destination"] = "scoring",
            ["effectiveFrom"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O"),
            ["documentReference"] = "contracts/e2e.pdf",
            ["covers"] = new JsonArray("pseudonymous-id", "redacted-text", "url", "date"),
        }));
        response.EnsureSuccessStatusCode();
    }

    private sealed class ScoringFactory(Dictionary<string, string?> settings, TimeProvider? time) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (time is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(time));
            }
        }
    }
}
