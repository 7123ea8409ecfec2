using Gateway.Compliance.Policies;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Policies;

public class PolicyLoaderTests
{
    [Fact]
    public void Loads_ValidPolicy_WithVersionAndContentHash()
    {
        using var folder = new TestPolicyFolder();
        var policy = folder.LoadValid();
        Assert.Equal("testing", policy.Name);
        Assert.Equal("1.0.0", policy.Version);
        Assert.Matches("^[0-9a-f]{64}$", policy.Sha256);
        Assert.Equal(2, policy.EventTypes.Count);
    }

    [Fact]
    public void ContentHash_Changes_WhenASchemaFileChanges()
    {
        using var folder = new TestPolicyFolder();
        var before = folder.LoadValid().Sha256;
        File.AppendAllText(Path.Combine(folder.Directory, "schemas", "form-submitted.schema.json"), " ");
        Assert.NotEqual(before, folder.LoadValid().Sha256);
    }

    [Fact]
    public void Rejects_MissingPolicyFile()
    {
        using var temp = new TempDirectory("empty");
        var result = new PolicyLoader().Load(temp.Path);
        Assert.False(result.Succeeded);
        Assert.Contains("no policy.yaml", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Rejects_InvalidYaml_WithLine()
    {
        using var folder = new TestPolicyFolder("name: testing\nversion: \"1\"\ndestinations: [unclosed\n");
        var error = Assert.Single(folder.Load().Errors);
        Assert.StartsWith("invalid YAML", error.Message);
        Assert.True(error.Location.Line >= 3);
    }

    [Fact]
    public void Rejects_DuplicateKeys()
    {
        using var folder = TestPolicyFolder.With("  timestamp: { action: keep, class: date }", "  timestamp: { action: keep, class: date }\n  timestamp: drop");
        Assert.Contains(folder.Load().Errors, e => e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Rejects_FormatViolations_WithFileLineAndPath()
    {
        using var folder = TestPolicyFolder.With("    cluster: scoring\n", "    cluster: scoring\n    color: blue\n");
        var error = Assert.Single(folder.Load().Errors);
        Assert.Equal("policy.yaml", error.Location.File);
        Assert.Equal(6, error.Location.Line);
        Assert.Contains("destinations.scoring", error.Path);
        Assert.Contains("no-additional-properties-allowed", error.Message);
    }

    [Fact]
    public void Rejects_MissingRequiredMember()
    {
        using var folder = TestPolicyFolder.With("version: \"1.0.0\"\n", string.Empty);
        Assert.Contains(folder.Load().Errors, e => e.Message == "'version' is required");
    }

    [Theory]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: shred", "unknown action 'shred'")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: keep, class: secret }", "does not match the policy format")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: keep, colour: red }", "option 'colour' is not used by action 'keep'")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: keep, class: non-phi }", "keeps a string or number its schema does not constrain (in track:Form Submitted)")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: keep, class: non-phi, values: colors }", "'values: colors' names no value set of the policy (known: plan, topic)")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: keep, class: non-phi, guard: vibes }", "does not match the policy format")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: keep, class: non-phi, values: topic, guard: code }", "a keep rule takes 'values' or 'guard', not both")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: generalize, method: url, sensitiveSegments: [x] }", "option 'sensitiveSegments' was replaced by the policy's 'urls.paths' templates")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: redact-text, derive: [{ feature: mentions }] }", "mentions needs option 'terms'")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: redact-text, derive: [{ feature: email_valid, terms: [a] }] }", "feature 'email_valid' takes no option 'terms'")]
    [InlineData("topic: [implants, whitening, ok, a, x]", "topic: [implants, Implants]", "values are non-empty and distinct")]
    [InlineData("  plan: [gold, silver, p0, p1, p2]", "  plan: [gold]\n  words: [a]", "'words' is a built-in URL variable")]
    [InlineData("values:\n  plan:", "urls:\n  paths: [/a, \"/b/{nope}\", /c//d]\nvalues:\n  plan:", "'{nope}' names no value set of the policy")]
    [InlineData("values:\n  plan:", "urls:\n  paths: [/a, /c//d]\nvalues:\n  plan:", "a path template has an empty segment")]
    [InlineData("values:\n  plan:", "urls:\n  hosts: [\"203.0.113.7\"]\nvalues:\n  plan:", "a host is a DNS name")]
    [InlineData("values:\n  plan:", "urls:\n  hosts: [localhost]\nvalues:\n  plan:", "a host is a DNS name")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topc: { action: keep, class: non-phi }", "path 'properties.topc' is not declared in schema")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.meta: keep", "'keep' applies to single values")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: generalize }", "generalize needs option 'method'")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: generalize, method: smudge }", "unknown generalize method 'smudge'")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: redact-text, detectors: [tarot] }", "unknown detector 'tarot'")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: keep, derive: [horoscope] }", "unknown feature 'horoscope'")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: { action: hmac, class: non-phi }", "only 'keep' rules declare a class")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "userId: keep", "'userId' is always pseudonymized")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "messageId: keep", "system field")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties..topic: keep", "invalid path: path has an empty segment")]
    [InlineData("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.to*ic: keep", "invalid path: '*' must be a whole segment")]
    [InlineData("properties.birthday: { action: drop, derive: [age_band] }", "properties.birthday: { action: generalize, method: year }", "looks like a birth date")]
    [InlineData("properties.tags.*: { action: keep, class: non-phi, values: [new, vip, t] }", "properties.tags.*: { action: keep, class: non-phi, values: [new, vip, t] }\n      properties: drop", "lies under 'properties'")]
    [InlineData("schema: schemas/form-submitted.schema.json", "schema: schemas/missing.schema.json", "schema file 'schemas/missing.schema.json' does not exist")]
    [InlineData("schema: schemas/form-submitted.schema.json", "schema: ../../../etc/passwd", "must be inside the policy folder")]
    [InlineData("  context: drop\n", "  context.ip: drop\n", "SDK context field 'context.userAgent' has no explicit rule")]
    public void Rejects_InvalidRule(string find, string replace, string expectedMessage)
    {
        using var folder = TestPolicyFolder.With(find, replace);
        var result = folder.Load();
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Message.Contains(expectedMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void Rejects_NameDifferentFromFolder()
    {
        using var folder = TestPolicyFolder.With("name: testing", "name: dental");
        Assert.Contains(folder.Load().Errors, e => e.Message == "the policy is named 'dental' but its folder is 'testing'");
    }

    [Fact]
    public void Rejects_UnknownDestinationOnEventType()
    {
        using var folder = TestPolicyFolder.With("  schema: schemas/identify.schema.json\n", "  schema: schemas/identify.schema.json\n  destinations: [meta]\n");
        Assert.Contains(folder.Load().Errors, e => e.Message == "unknown destination 'meta'");
    }

    [Fact]
    public void Reports_EveryError_AtOnce()
    {
        var yaml = TestPolicyFolder.ValidPolicy
            .Replace("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: shred", StringComparison.Ordinal)
            .Replace("traits.plan: { action: keep, class: non-phi, values: plan }", "traits.plam: { action: keep, class: non-phi, values: plan }", StringComparison.Ordinal)
            .Replace("name: testing", "name: other", StringComparison.Ordinal);
        using var folder = new TestPolicyFolder(yaml);
        var errors = folder.Load().Errors;
        Assert.Contains(errors, e => e.Message.Contains("unknown action 'shred'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("'traits.plam' is not declared", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("named 'other'", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.True(e.Location.Line > 0 || e.Location.File != "policy.yaml", e.ToString()));
    }

    [Fact]
    public void Errors_CarryTheRuleLine()
    {
        using var folder = TestPolicyFolder.With("properties.topic: { action: keep, class: non-phi, values: topic }", "properties.topic: shred");
        var error = Assert.Single(folder.Load().Errors);
        var line = TestPolicyFolder.ValidPolicy.Split('\n').ToList().FindIndex(l => l.Contains("properties.topic", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, error.Location.Line);
        Assert.Equal("track.\"Form Submitted\".fields.\"properties.topic\".action", error.Path);
    }

    [Fact]
    public void Catalog_Fails_WhenAnyVerticalFails()
    {
        using var root = new TempDirectory("policies");
        using var good = new TestPolicyFolder();
        CopyDirectory(good.Directory, Path.Combine(root.Path, "testing"));
        Directory.CreateDirectory(Path.Combine(root.Path, "broken"));
        File.WriteAllText(Path.Combine(root.Path, "broken", "policy.yaml"), "name: broken\n");
        var (catalog, errors) = PolicyCatalog.Load(root.Path, new PolicyLoader());
        Assert.Null(catalog);
        Assert.Contains(errors, e => e.Folder == "broken");
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}

public class ConsentPolicyRulesTests
{
    [Fact]
    public void Rejects_ABannerCategory_MappedToHipaaAuthorization()
    {
        using var folder = TestSupport.TestPolicyFolder.With("destinations:", "consent:\n  categoryPreferences:\n    Marketing: hipaa_authorization\ndestinations:");
        Assert.Contains(folder.Load().Errors, e => e.Message.StartsWith("a consent banner category cannot grant 'hipaa_authorization'", StringComparison.Ordinal));
    }

    [Fact]
    public void Rejects_SmsReplyEvents_ThePolicyDoesNotList()
    {
        using var folder = TestSupport.TestPolicyFolder.With("destinations:", "consent:\n  smsReplyEvents: [Text Received]\ndestinations:");
        Assert.Contains(folder.Load().Errors, e => e.Message == "'Text Received' is not a track event of this policy");
    }
}
