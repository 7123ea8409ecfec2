using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using Gateway.Testing;

namespace Gateway.Server.Tests.Support;

/// <summary>
/// A gateway on real Kestrel (loopback) with the shipped policies, a temp data folder (audit files, keys,
/// logs), one practice per vertical with known test secrets, and a capturing upstream as its scoring cluster.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public const string DentalPractice = "test-dental";
    public const string HealthcarePractice = "test-healthcare";
    public const string DigitalHealthPractice = "test-digital-health";

    private readonly Factory _factory;

    private readonly Uri _address;

    private GatewayHarness(Factory factory, CapturingUpstream upstream, string dataPath, Dictionary<string, string> writeKeys)
    {
        _factory = factory;
        _address = new Uri(factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        Upstream = upstream;
        DataPath = dataPath;
        WriteKeys = writeKeys;
    }

    public CapturingUpstream Upstream { get; }

    public string DataPath { get; }

    public string AuditPath => Path.Combine(DataPath, "audit");

    public string LogPath => Path.Combine(DataPath, "logs");

    /// <summary>The checkpoint signing key (outside the data folder, as the gateway requires outside Development).</summary>
    public string SigningKeyFile => GatewayProcess.CheckpointKeyFileFor(DataPath);

    /// <summary>Write key per practice id.</summary>
    public IReadOnlyDictionary<string, string> WriteKeys { get; }

    public string DentalKey => WriteKeys[DentalPractice];

    public IServiceProvider Services => _factory.Services;

    public static readonly byte[] DentalSecret = SHA256.HashData("dental-test-secret"u8);

    public const string AdminKey = "admin-key-for-tests-0123456789";
    public const string ComplianceKey = "compliance-key-for-tests-0123456789";

    /// <summary>The PHI classes the default test BAA covers (everything the shipped policies send to scoring).</summary>
    public static readonly string[] AllPhiClasses = ["pseudonymous-id", "token", "redacted-text", "contact", "network", "url", "date", "phi"];

    /// <param name="configure">Extra settings (override the defaults below).</param>
    /// <param name="services">Service replacements (fault injection).</param>
    /// <param name="withBaa">Record a BAA in force, covering every PHI class, for each practice's scoring destination.</param>
    public static async Task<GatewayHarness> StartAsync(
        IDictionary<string, string?>? configure = null,
        Action<IServiceCollection>? services = null,
        CapturingUpstream? upstream = null,
        bool withBaa = true,
        int[]? kestrelPorts = null)
    {
        upstream ??= await CapturingUpstream.StartAsync();
        var dataPath = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "data");
        Directory.CreateDirectory(dataPath);
        var writeKeys = new Dictionary<string, string>
        {
            [DentalPractice] = "wk_dental_" + Guid.NewGuid().ToString("N"),
            [HealthcarePractice] = "wk_health_" + Guid.NewGuid().ToString("N"),
            [DigitalHealthPractice] = "wk_digital_" + Guid.NewGuid().ToString("N"),
        };

        var settings = new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = RepoPaths.Policies,
            ["Gateway:DataPath"] = dataPath,
            ["Gateway:Audit:Checkpoints:SigningKeyFile"] = GatewayProcess.CheckpointKeyFileFor(dataPath),
            ["Gateway:InstanceId"] = "gw-test",
            ["Gateway:Forwarding:Token"] = "test-forwarding-token-0123456789abcdef",
            ["Gateway:Forwarding:TimeoutSeconds"] = "5",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = upstream.Address,
            ["ReverseProxy:Clusters:scoring:HealthCheck:Active:Enabled"] = "false",
            ["Gateway:Admin:Keys:0:Name"] = "test-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminKey))),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["Gateway:Admin:Keys:1:Name"] = "test-compliance",
            ["Gateway:Admin:Keys:1:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ComplianceKey))),
            ["Gateway:Admin:Keys:1:Role"] = "compliance",
        };
        var verticals = new[] { (DentalPractice, "dental", DentalSecret), (HealthcarePractice, "healthcare", SHA256.HashData("health-test-secret"u8)), (DigitalHealthPractice, "digital-health", SHA256.HashData("digital-test-secret"u8)) };
        for (var i = 0; i < verticals.Length; i++)
        {
            var (id, vertical, secret) = verticals[i];
            settings[$"Gateway:Practices:{i}:Id"] = id;
            settings[$"Gateway:Practices:{i}:Vertical"] = vertical;
            settings[$"Gateway:Practices:{i}:WriteKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(writeKeys[id])));
            settings[$"Gateway:Practices:{i}:PseudonymKeys:0:Id"] = "t" + i;
            settings[$"Gateway:Practices:{i}:PseudonymKeys:0:Secret"] = Convert.ToBase64String(secret);
            settings[$"Gateway:Practices:{i}:PseudonymKeys:0:Active"] = "true";
            settings[$"Gateway:Practices:{i}:ServiceArea:0"] = "021";
            settings[$"Gateway:Practices:{i}:ServiceArea:1"] = "606";
        }

        foreach (var (key, value) in configure ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var factory = new Factory(settings, services);
        factory.UseKestrel(options =>
        {
            foreach (var port in kestrelPorts ?? [0])
            {
                options.Listen(System.Net.IPAddress.Loopback, port);
            }
        });
        factory.StartServer();
        var harness = new GatewayHarness(factory, upstream, dataPath, writeKeys);
        if (withBaa)
        {
            foreach (var practice in writeKeys.Keys)
            {
                await harness.RecordBaaAsync(practice, DateTimeOffset.UtcNow.AddDays(-1), null, AllPhiClasses);
            }
        }

        return harness;
    }

    /// <summary>A gateway whose audit log writes through <see cref="FaultyStream"/>: <paramref name="failing"/> makes audit writes fail.</summary>
    public static Task<GatewayHarness> StartWithFaultyAuditAsync(FaultSwitch failing) =>
        StartAsync(services: services => services.AddSingleton<Gateway.Compliance.Audit.IAuditLog>(sp =>
            Gateway.Compliance.Audit.FileAuditLog.Open(new Gateway.Compliance.Audit.AuditFileOptions
            {
                Directory = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "audit"),
                InstanceId = "gw-fault",
                WrapStream = stream => new FaultyStream(stream, failing),
            })));

    /// <summary>A client authenticated with an admin key (role admin by default), on the admin port when one is set.</summary>
    public HttpClient AdminClient(string key = AdminKey)
    {
        var client = AnonymousClient();
        if (Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Gateway.Server.Configuration.GatewayOptions>>().Value.Admin.Port is { } port)
        {
            client.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<System.Text.Json.Nodes.JsonNode> RecordBaaAsync(string practice, DateTimeOffset from, DateTimeOffset? expires, string[] covers, string destination = "scoring")
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["destination"] = destination,
            ["effectiveFrom"] = from.ToString("O"),
            ["expiresAt"] = expires?.ToString("O"),
            ["documentReference"] = "contracts/baa-" + practice + ".pdf",
            ["covers"] = new System.Text.Json.Nodes.JsonArray([.. covers.Select(c => (System.Text.Json.Nodes.JsonNode?)c)]),
        };
        var response = await AdminClient().PostAsync($"/admin/v1/practices/{practice}/baa", Events.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Recording a BAA failed: {(int)response.StatusCode} {text}");
        }

        return System.Text.Json.Nodes.JsonNode.Parse(text)!;
    }

    public async Task<HttpResponseMessage> RecordConsentAsync(string practice, string userId, string purpose, string decision, DateTimeOffset? expires = null) =>
        await AdminClient().PostAsync($"/admin/v1/practices/{practice}/consent", Events.Json(new System.Text.Json.Nodes.JsonObject
        {
            ["person"] = new System.Text.Json.Nodes.JsonObject { ["userId"] = userId },
            ["purpose"] = purpose,
            ["decision"] = decision,
            ["sourceReference"] = "form:intake-v3",
            ["disclosureText"] = "I agree to receive messages from Smile Dental about my care and offers.",
            ["expiresAt"] = expires?.ToString("O"),
        }));

    /// <summary>A client that authenticates as <paramref name="practice"/> (HTTP Basic, write key as user name).</summary>
    public Uri Address => _address;

    public HttpClient Client(string practice = DentalPractice)
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKeys[practice] + ":")));
        return client;
    }

    /// <summary>A real HTTP client to the gateway's Kestrel address, without credentials, that never follows redirects.</summary>
    public HttpClient AnonymousClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _address };

    /// <summary>Everything the gateway wrote to disk as text: audit files and application logs.</summary>
    public string ReadAllAuditAndLogs()
    {
        var builder = new StringBuilder();
        foreach (var folder in new[] { AuditPath, LogPath })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                // A sealed audit file may have been compressed: scan its lines, not its compressed bytes.
                using var stream = Gateway.Compliance.Audit.AuditSegmentCompression.IsCompressed(file)
                    ? Gateway.Compliance.Audit.AuditSegmentCompression.OpenRead(file)
                    : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                builder.AppendLine(reader.ReadToEnd());
            }
        }

        return builder.ToString();
    }

    /// <summary>The audit records written so far (tests poll this while the gateway is still writing).</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> AuditRecords() =>
        [.. CompleteAuditLines(AuditPath).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject())];

    /// <summary>
    /// Every audit file's complete lines, in chain order. A file read while the audit writer is appending a group can
    /// end in part of a line: that record is not written yet, and the next poll reads it whole.
    /// </summary>
    private static string CompleteAuditLines(string folder)
    {
        var builder = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(folder).Order())
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            builder.Append(text.AsSpan(0, text.LastIndexOf('\n') + 1));
        }

        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Upstream.DisposeAsync();
        try
        {
            Directory.Delete(Path.GetDirectoryName(DataPath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Factory(Dictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}
