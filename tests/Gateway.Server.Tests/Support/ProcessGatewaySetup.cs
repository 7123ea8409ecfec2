using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Compliance.Pseudonyms;
using Gateway.Testing;

namespace Gateway.Server.Tests.Support;

/// <summary>
/// What a test needs to run the gateway as a real process (<see cref="GatewayProcess"/>) with one dental practice on a
/// data folder of its own: the settings, a client with the practice's write key, the BAA for scoring, and the
/// pseudonym the destination receives for a message id. For tests that kill, restart or duplicate the process.
/// </summary>
internal sealed class ProcessGatewaySetup
{
    private const string KeyId = "c1";

    public ProcessGatewaySetup(string practice, string instanceId, CapturingUpstream upstream, IReadOnlyDictionary<string, string?>? extra = null)
    {
        Practice = practice;
        Secret = SHA256.HashData(Encoding.UTF8.GetBytes(practice + "-test-secret"));
        DataPath = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"), "data");
        WriteKey = "wk_" + practice + "_" + Guid.NewGuid().ToString("N");
        Settings = new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = RepoPaths.Policies,
            ["Gateway:DataPath"] = DataPath,
            ["Gateway:InstanceId"] = instanceId,
            ["Gateway:Forwarding:Token"] = "process-forwarding-token-0123456789",
            ["Gateway:Practices:0:Id"] = practice,
            ["Gateway:Practices:0:Vertical"] = "dental",
            ["Gateway:Practices:0:WriteKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WriteKey))),
            ["Gateway:Practices:0:PseudonymKeys:0:Id"] = KeyId,
            ["Gateway:Practices:0:PseudonymKeys:0:Secret"] = Convert.ToBase64String(Secret),
            ["Gateway:Practices:0:PseudonymKeys:0:Active"] = "true",
            ["Gateway:Admin:Keys:0:Name"] = "process-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GatewayHarness.AdminKey))),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = upstream.Address,
            ["ReverseProxy:Clusters:scoring:HealthCheck:Active:Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
    }

    public string Practice { get; }

    public byte[] Secret { get; }

    public string DataPath { get; }

    public string AuditPath => Path.Combine(DataPath, "audit");

    public string WriteKey { get; }

    public Dictionary<string, string?> Settings { get; }

    /// <summary>A client that authenticates as the practice's SDK (write key as the Basic user name).</summary>
    public HttpClient Client(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        return client;
    }

    /// <summary>Records a BAA in force for the scoring destination, covering every PHI class.</summary>
    public async Task RecordBaaAsync(Uri address)
    {
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHarness.AdminKey);
        var response = await admin.PostAsync($"/admin/v1/practices/{Practice}/baa", Events.Json(new JsonObject
        {
            ["destination"] = "scoring",
            ["effectiveFrom"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O"),
            ["documentReference"] = "contracts/process-test.pdf",
            ["covers"] = new JsonArray([.. GatewayHarness.AllPhiClasses.Select(c => (JsonNode?)c)]),
        }));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The message id the destination receives for the SDK's <paramref name="messageId"/>.</summary>
    public string Pseudonym(string messageId) =>
        Pseudonymizer.Pseudonymize(new PseudonymKey(KeyId, Secret, Practice), messageId, IdentifierNormalization.Exact);

    public void DeleteData()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(DataPath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
