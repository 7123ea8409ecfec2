using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Compliance.Audit;
using Gateway.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

using Gateway.Testing;

namespace Gateway.Server.Tests.Corpus;

/// <summary>
/// Runs every file of the malformed and edge-case corpus (<c>corpus.json</c>: file, endpoint, content type and
/// encoding, expected status and why) against one real gateway on Kestrel. Each answer has the exact status,
/// is never a 5xx, carries a problem+json body when it is a 4xx, and no canary (<c>cnry...</c>) from the file
/// appears in the response, the audit files, the logs or anything forwarded.
/// </summary>
public sealed partial class CorpusTests(CorpusTests.Gateway fixture) : IClassFixture<CorpusTests.Gateway>
{
    private static readonly string s_folder = Path.Combine(RepoPaths.Root, "tests", "Gateway.Server.Tests", "Corpus");

    private static readonly Lazy<Dictionary<string, JsonObject>> s_manifest = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(s_folder, "corpus.json")))!.AsArray()
            .Select(e => e!.AsObject()).ToDictionary(e => (string)e["file"]!, StringComparer.Ordinal));

    public static TheoryData<string> Files() => [.. s_manifest.Value.Keys];

    [Fact]
    public void Manifest_ListsEveryFile_AndCoversTheIssuesCases()
    {
        var files = Directory.EnumerateFiles(s_folder).Select(Path.GetFileName)
            .Where(f => f is not ("corpus.json" or "CorpusTests.cs" or ".gitattributes")).Order(StringComparer.Ordinal);
        Assert.Equal(files, s_manifest.Value.Keys.Order(StringComparer.Ordinal));
        foreach (var required in new[] { "invalid-utf8", "lone-surrogate", "huge-", "deep-nesting", "duplicate-", "bom-", "truncated-", "nul-" })
        {
            Assert.Contains(s_manifest.Value.Keys, f => f.StartsWith(required, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task CorpusFile_GetsItsExpectedStatus_AndLeaksNothing(string file)
    {
        var entry = s_manifest.Value[file];
        var bytes = await File.ReadAllBytesAsync(Path.Combine(s_folder, file));
        var canaries = CanariesIn(bytes, (string?)entry["contentEncoding"]);
        bytes = ReplaceWriteKey(bytes, fixture.Harness.DentalKey);

        using var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", (string?)entry["contentType"] ?? "application/json");
        if ((string?)entry["contentEncoding"] is { } encoding)
        {
            content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        }

        using var client = (string?)entry["auth"] == "none" ? fixture.Harness.AnonymousClient() : fixture.Harness.Client();
        client.Timeout = TimeSpan.FromSeconds(15);
        using var response = await client.PostAsync("/v1/" + (string)entry["endpoint"]!, content);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();

        Assert.False(status >= 500, $"{file}: {status} {body}");
        Assert.Equal((int)entry["expect"]!, status);
        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(body)!;
            if ((string?)entry["problem"] is { } type)
            {
                Assert.Equal("urn:gateway:problem:" + type, (string?)problem["type"]);
            }

            if ((string?)entry["reason"] is { } reason)
            {
                var index = (int?)entry["index"] ?? 0;
                Assert.Contains(problem["errors"]!.AsArray(), e => (int?)e!["index"] == index && (string?)e["reason"] == reason);
            }
        }

        // Records nothing waits on (auth failures, deliveries) join the next durable group: append one to flush them.
        await fixture.Harness.Services.GetRequiredService<IAuditLog>().AppendAsync([Encoding.UTF8.GetBytes("""{"kind":"test-flush"}""")]);
        var answered = body + string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)));
        var disk = fixture.Harness.ReadAllAuditAndLogs();
        var forwarded = fixture.Harness.Upstream.AllBodies;
        Assert.DoesNotContain("cnry", answered, StringComparison.Ordinal);
        foreach (var canary in canaries)
        {
            Assert.False(disk.Contains(canary, StringComparison.Ordinal), $"{file}: {canary} in the audit or logs");
            Assert.False(forwarded.Contains(canary, StringComparison.Ordinal), $"{file}: {canary} forwarded");
        }
    }

    /// <summary>The canaries in a file, however it is encoded (UTF-8, UTF-16, UTF-32, gzip).</summary>
    private static HashSet<string> CanariesIn(byte[] bytes, string? contentEncoding)
    {
        var texts = new List<string>();
        void AddDecodings(byte[] data)
        {
            texts.Add(Encoding.Latin1.GetString(data));
            texts.Add(Encoding.Unicode.GetString(data));
            texts.Add(Encoding.BigEndianUnicode.GetString(data));
            texts.Add(Encoding.UTF32.GetString(data));
        }

        AddDecodings(bytes);
        if (contentEncoding == "gzip")
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var decompressed = new MemoryStream();
                gzip.CopyTo(decompressed);
                AddDecodings(decompressed.ToArray());
            }
            catch (InvalidDataException)
            {
            }
        }

        return [.. texts.SelectMany(t => Canary().Matches(t).Select(m => m.Value)).Where(c => c.Length >= 8)];
    }

    private static byte[] ReplaceWriteKey(byte[] bytes, string key)
    {
        var text = Encoding.Latin1.GetString(bytes);
        return text.Contains("{{WRITE_KEY}}", StringComparison.Ordinal)
            ? Encoding.Latin1.GetBytes(text.Replace("{{WRITE_KEY}}", key, StringComparison.Ordinal))
            : bytes;
    }

    [GeneratedRegex("cnry[-_A-Za-z0-9]*")]
    private static partial Regex Canary();

    /// <summary>One gateway for the whole corpus, with rate limiting off (the corpus is sent as fast as possible).</summary>
    public sealed class Gateway : GatewayFixture
    {
        protected override Dictionary<string, string?> Settings => new() { ["Gateway:RateLimit:Enabled"] = "false" };
    }
}
