using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;
using Microsoft.Playwright;

namespace Console.Tests;

/// <summary>
/// One gateway process (ingest port and a separate admin port, on loopback) in front of a capturing upstream,
/// with a copy of the shipped policies, two practices, an admin and a compliance key, and one headless
/// Debian chromium shared by every test of the class. Events with canary PHI are sent through the Segment API
/// before any test runs.
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    public const string Practice = "console-dental";
    public const string OtherPractice = "console-health";
    public const string AdminKey = "console-admin-key-0123456789abcdef";
    public const string ComplianceKey = "console-compliance-key-0123456789ab";

    /// <summary>The patient whose disclosures are looked up: the practice sends the email as the user id.</summary>
    public const string PatientEmail = "quorraby.canary.7731@canary-mail.test";

    /// <summary>Unique fake identifiers planted in the events; none may appear in any console page, header or console message.</summary>
    public static readonly IReadOnlyList<string> Canaries =
    [
        PatientEmail, "Zelphine", "Quorraby", "(617) 555-0147", "6175550147", "4417 Wexcombe Avenue", "Quillmouth", "198.51.100.77", "MRN-8812734",
        "user-canary-5521", "revoke-canary-8812", "quarantine-canary-plan",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "gw-console", Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public GatewayProcess Gateway { get; private set; } = null!;

    public CapturingUpstream Upstream { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The admin surface (where the console lives).</summary>
    public Uri Admin { get; private set; } = null!;

    public string WriteKey { get; } = "wk_console_" + Guid.NewGuid().ToString("N");

    public string PoliciesPath => Path.Combine(_root, "policies");

    public string AuditPath => Path.Combine(_root, "data", "audit");

    public string DataPath => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        CopyDirectory(RepoPaths.Policies, PoliciesPath);
        Upstream = await CapturingUpstream.StartAsync();
        var adminPort = GatewayProcess.FreePort();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:PoliciesPath"] = PoliciesPath,
            ["Gateway:DataPath"] = DataPath,
            ["Gateway:InstanceId"] = "gw-console",
            ["Gateway:Forwarding:Token"] = "console-forwarding-token-0123456789",
            ["Gateway:Admin:Port"] = adminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Admin:Keys:0:Name"] = "officer-admin",
            ["Gateway:Admin:Keys:0:Sha256"] = Sha256(AdminKey),
            ["Gateway:Admin:Keys:0:Role"] = "admin",
            ["Gateway:Admin:Keys:1:Name"] = "officer-compliance",
            ["Gateway:Admin:Keys:1:Sha256"] = Sha256(ComplianceKey),
            ["Gateway:Admin:Keys:1:Role"] = "compliance",
            ["ReverseProxy:Clusters:scoring:Destinations:scoring-1:Address"] = Upstream.Address,
            ["ReverseProxy:Clusters:scoring:HealthCheck:Active:Enabled"] = "false",
        };
        var practices = new[] { (Practice, "dental"), (OtherPractice, "healthcare") };
        for (var i = 0; i < practices.Length; i++)
        {
            settings[$"Gateway:Practices:{i}:Id"] = practices[i].Item1;
            settings[$"Gateway:Practices:{i}:Vertical"] = practices[i].Item2;
            settings[$"Gateway:Practices:{i}:WriteKeySha256:0"] = Sha256(i == 0 ? WriteKey : WriteKey + "-other");
            settings[$"Gateway:Practices:{i}:PseudonymKeys:0:Id"] = "c" + i;
            settings[$"Gateway:Practices:{i}:PseudonymKeys:0:Secret"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("console-secret-" + i)));
            settings[$"Gateway:Practices:{i}:PseudonymKeys:0:Active"] = "true";
            settings[$"Gateway:Practices:{i}:ServiceArea:0"] = "021";
        }

        Gateway = await GatewayProcess.StartAsync(settings, GatewayProcess.FreePort(), urls: $"http://127.0.0.1:{adminPort}", workingDirectory: _root);
        Admin = new Uri($"http://127.0.0.1:{adminPort}");

        // The dental practice's scoring BAA is in force; the other practice's expires in 20 days (a warning).
        await RecordBaaAsync(Practice, DateTimeOffset.UtcNow.AddDays(-30), null);
        await RecordBaaAsync(OtherPractice, DateTimeOffset.UtcNow.AddDays(-300), DateTimeOffset.UtcNow.AddDays(20));

        // The patient's events: forwarded with consent, carrying canaries in every kind of field.
        using var ingest = IngestClient();
        for (var i = 0; i < 3; i++)
        {
            var response = await ingest.PostAsync("track", CanaryEvent(PatientEmail, "Service Page Viewed", consent: true));
            response.EnsureSuccessStatusCode();
        }

        await Wait.UntilAsync(() => Upstream.Events.Count >= 3, "the patient's events at the destination");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A new browser context (its own cookies) with a page that records every response and console message.</summary>
    public async Task<ConsoleSession> OpenAsync() => await ConsoleSession.OpenAsync(Browser, Admin);

    public HttpClient IngestClient()
    {
        var client = new HttpClient { BaseAddress = Gateway.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        return client;
    }

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Admin };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>An SDK-shaped event of the practice's site, with canaries in its context.</summary>
    public static JsonObject CanaryEvent(string userId, string name, bool consent, JsonObject? properties = null, string? messageId = null)
    {
        var evt = Events.Track(name, properties ?? new JsonObject { ["service_line"] = "implants" }, messageId, userId);
        var context = evt["context"]!.AsObject();
        context["ip"] = "198.51.100.77";
        context["page"] = new JsonObject
        {
            ["url"] = "https://smile.example/patients/MRN-8812734/book?email=" + Uri.EscapeDataString(PatientEmail),
            ["path"] = "/patients/user-canary-5521/book",
            ["title"] = "Booking for Zelphine Quorraby",
        };
        context["traits"] = new JsonObject { ["email"] = PatientEmail, ["phone"] = "(617) 555-0147", ["address"] = new JsonObject { ["street"] = "4417 Wexcombe Avenue", ["city"] = "Quillmouth" } };
        if (!consent)
        {
            context.Remove("consent");
        }

        return evt;
    }

    /// <summary>Every audit record the gateway wrote, as JSON objects.</summary>
    public IReadOnlyList<JsonObject> AuditRecords()
    {
        var records = new List<JsonObject>();
        foreach (var file in Directory.GetFiles(AuditPath, "*.jsonl").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && JsonNode.Parse(line) is JsonObject record)
                {
                    records.Add(record);
                }
            }
        }

        return records;
    }

    /// <summary>Everything the gateway wrote to its data folder as text (audit, logs): for canary checks.</summary>
    public string ReadAuditAndLogs()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(DataPath, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".jsonl.zst", StringComparison.Ordinal) || f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
        {
            // A sealed audit file may have been compressed: scan its lines, not its compressed bytes.
            using var stream = global::Gateway.Compliance.Audit.AuditSegmentCompression.IsCompressed(file)
                ? global::Gateway.Compliance.Audit.AuditSegmentCompression.OpenRead(file)
                : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            text.Append(new StreamReader(stream).ReadToEnd());
        }

        return text.ToString();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Debian's chromium (scripts/test.sh installs it); GATEWAY_TEST_CHROMIUM overrides. Playwright's own browser download is never used.</summary>
    private static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("GATEWAY_TEST_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Debian's chromium is not installed: run ./scripts/test.sh (it installs it) or set GATEWAY_TEST_CHROMIUM.");
    }

    private async Task RecordBaaAsync(string practice, DateTimeOffset from, DateTimeOffset? expires)
    {
        using var admin = AdminClient();
        var response = await admin.PostAsync($"/admin/v1/practices/{practice}/baa", Events.Json(new JsonObject
        {
            ["destination"] = "scoring",
            ["effectiveFrom"] = from.ToString("O"),
            ["expiresAt"] = expires?.ToString("O"),
            ["documentReference"] = "contracts/baa-" + practice + ".pdf",
            ["covers"] = new JsonArray("pseudonymous-id", "token", "redacted-text", "contact", "network", "url", "date", "phi"),
        }));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Recording a BAA failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
