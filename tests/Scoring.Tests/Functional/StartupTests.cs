using System.Net;
using Microsoft.Extensions.Options;
using Scoring.Engine.Configuration;
using Scoring.Service.Options;
using Scoring.Tests.TestSupport;

namespace Scoring.Tests.Functional;

public class StartupTests
{
    [Fact]
    public void Production_RefusesToStart_WithoutTokenOrApiKeys()
    {
        using var factory = new ScoringServiceFactory(new Dictionary<string, string?> { ["Scoring:PoliciesDirectory"] = RepoPaths.Policies }, defaults: false);

        var ex = Assert.Throws<AggregateException>(() => factory.CreateClient());

        Assert.Equal(
            [ApiOptionsValidator.KeysRequired, IngestOptionsValidator.TokenRequired],
            ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RefusesToStart_WithMalformedHashes_ListingEach()
    {
        using var factory = new ScoringServiceFactory(
            new Dictionary<string, string?>
            {
                ["Ingest:TokenSha256"] = SecretHashes.Hash(ScoringServiceFactory.IngestToken),
                ["Scoring:PoliciesDirectory"] = RepoPaths.Policies,
                ["Api:Keys:intake team"] = "ABC",
            },
            defaults: false);

        var ex = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Equal(
            [
                "Api:Keys:intake team: key names are 1-64 letters, digits, '.', '_' or '-'.",
                "Api:Keys:intake team must be 64 lower-case hex characters (a SHA-256).",
            ],
            ex.Failures);
    }

    [Fact]
    public void RefusesToStart_WithAnInvalidIngestToken()
    {
        using var factory = new ScoringServiceFactory(new Dictionary<string, string?> { ["Ingest:TokenSha256"] = "not-a-hash", ["Ingest:MaxBatchBytes"] = "10" });

        var ex = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Equal([IngestOptionsValidator.TokenInvalid, "Ingest:MaxBatchBytes must be between 1024 and 16777216."], ex.Failures);
    }

    [Fact]
    public void RefusesToStart_WithAnInvalidScoringFile_ListingEveryError()
    {
        var policies = Path.Combine(Path.GetTempPath(), "scoring-policies-" + Guid.NewGuid().ToString("N"));
        try
        {
            CopyDirectory(RepoPaths.Policy("dental"), Path.Combine(policies, "dental"));
            var file = Path.Combine(policies, "dental", ScoringConfig.FileName);
            File.WriteAllText(file, File.ReadAllText(file)
                .Replace("threshold: 60", "threshold: 50", StringComparison.Ordinal)
                .Replace("perQuarter: 0.25", "perQuarter: 0.4", StringComparison.Ordinal));
            using var factory = new ScoringServiceFactory(new Dictionary<string, string?> { ["Scoring:PoliciesDirectory"] = policies });

            var ex = Assert.Throws<ScoringConfigException>(() => factory.CreateClient());

            // Fit can reach 52 >= 50, and 0.4 is outside 20-30%: both reported.
            Assert.Equal(
                [
                    "dental/scoring.yaml:25:15: decay.perQuarter: must be between 0.2 and 0.3 (20-30% per quarter of inactivity)",
                    "dental/scoring.yaml:23:12: threshold: the best possible fit (52) reaches the threshold (50): raise the threshold or lower fit points, so that qualifying needs engagement",
                ],
                ex.Errors.Select(e => e.ToString()));
        }
        finally
        {
            Directory.Delete(policies, recursive: true);
        }
    }

    [Fact]
    public async Task Development_CreatesSecretsInTheDataFolder_AndUsesThem()
    {
        using var factory = new ScoringServiceFactory(new Dictionary<string, string?> { ["Scoring:PoliciesDirectory"] = RepoPaths.Policies }, environment: "Development", defaults: false);
        var client = factory.CreateClient();

        var tokenFile = Path.Combine(factory.DataDirectory, DevelopmentSecrets.IngestTokenFile);
        var keyFile = Path.Combine(factory.DataDirectory, DevelopmentSecrets.ApiKeyFile);
        var token = File.ReadAllText(tokenFile).Trim();
        client.DefaultRequestHeaders.Add("X-Api-Key", File.ReadAllText(keyFile).Trim());
        using var withToken = await factory.PostBatchAsync(Batches.Dental(ScoringServiceFactory.Start), token);
        using var leads = await client.GetAsync("/api/leads");

        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, leads.StatusCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        }

        Assert.DoesNotContain(factory.Logs.Lines, l => l.Message.Contains(token, StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Lines, l => l.Message == $"Development: no secret configured; created one in {tokenFile}");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
