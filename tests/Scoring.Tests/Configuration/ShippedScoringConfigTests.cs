using System.Globalization;
using System.Text.Json.Nodes;
using NJsonSchema;
using Scoring.Engine.Configuration;
using Scoring.Tests.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Scoring.Tests.Configuration;

public class ShippedScoringConfigTests
{
    [Theory]
    [InlineData("dental", 60, 0.25, 52)]
    [InlineData("healthcare", 65, 0.20, 51)]
    [InlineData("digital-health", 70, 0.25, 56)]
    public void Loads_WithoutErrors(string vertical, double threshold, double decay, double maxFit)
    {
        var result = new ScoringConfigLoader().Load(RepoPaths.Policy(vertical));

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal((vertical, threshold, decay, maxFit), (result.Config!.Vertical, result.Config.Threshold, result.Config.DecayPerQuarter, result.Config.MaxFit));
    }

    [Theory]
    [InlineData("dental")]
    [InlineData("healthcare")]
    [InlineData("digital-health")]
    public async Task MatchesTheShippedFormatSchema(string vertical)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Policies, "scoring.schema.json"));
        var json = YamlToJson(File.ReadAllText(Path.Combine(RepoPaths.Policy(vertical), ScoringConfig.FileName)));

        var errors = schema.Validate(json);

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Fact]
    public async Task SampleDso_Ships12LocationsInFourTimeZones_AndMatchesThePracticeSchema()
    {
        var file = Path.Combine(RepoPaths.Policy("dental"), "practices", "harborview-dental.yaml");
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Policies, "practice.schema.json"));
        var config = new ScoringConfigLoader().LoadOrThrow(RepoPaths.Policy("dental"));

        var practice = config.Practices["harborview-dental"];

        Assert.Empty(schema.Validate(YamlToJson(File.ReadAllText(file))).Select(e => $"{e.Path}: {e.Kind}"));
        Assert.Equal(12, practice.Locations.Count);
        Assert.Equal(
            ["America/Chicago", "America/Denver", "America/Los_Angeles", "America/New_York", "America/Phoenix"],
            practice.Locations.Select(l => l.TimeZone!.Id).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PracticeFile_ReportsEveryError_AgainstItsVertical()
    {
        var root = Path.Combine(Path.GetTempPath(), "scoring-practice-" + Guid.NewGuid().ToString("N"));
        try
        {
            var dental = Path.Combine(root, "dental");
            CopyDirectory(RepoPaths.Policy("dental"), dental);
            File.WriteAllText(Path.Combine(dental, "practices", "acme.yaml"), """
                practice: acme-dental
                threshold: 40
                sla: { front-desk: 2h }
                defaultLocation: nowhere
                locations:
                  main:
                    timeZone: Mars/Olympus_Mons
                    officeHours: { mon-fri: "17:00-08:00" }
                    serviceAreaZip3: ["21"]
                    sla: { scheduling: soon }
                """);

            var result = new ScoringConfigLoader().Load(dental);

            Assert.Equal(
                [
                    "practices/acme.yaml:7:15: locations.main.timeZone: unknown time zone 'Mars/Olympus_Mons' (use an IANA id such as America/New_York)",
                    "practices/acme.yaml:8:18: locations.main.officeHours: '17:00-08:00' is not an opening time range such as 08:00-17:00 (or 'closed')",
                    "practices/acme.yaml:10:24: locations.main.sla.scheduling: 'soon' is not a duration: write a whole number and m, h, d or bd (business days), e.g. 4h or 1bd",
                ],
                result.Errors.Select(e => e.ToString()));

            File.WriteAllText(Path.Combine(dental, "practices", "acme.yaml"), """
                practice: acme-dental
                threshold: 40
                sla: { front-desk: 2h }
                defaultLocation: nowhere
                locations:
                  main:
                    serviceAreaZip3: ["21"]
                """);

            Assert.Equal(
                [
                    "practices/acme.yaml:1:1: practice: the file is for practice 'acme-dental' but is named 'acme.yaml'",
                    "practices/acme.yaml:1:1: threshold: the best possible fit (52) reaches it: qualifying must need engagement",
                    "practices/acme.yaml:1:1: sla.front-desk: 'front-desk' is not a queue of vertical 'dental' (known: emergency-line, treatment-coordinator, referral-coordinator, scheduling)",
                    "practices/acme.yaml:6:3: locations.main.serviceAreaZip3: '21' is not a 3-digit ZIP prefix (quote it: \"021\")",
                    "practices/acme.yaml:1:1: defaultLocation: 'nowhere' is not one of the practice's locations",
                ],
                new ScoringConfigLoader().Load(dental).Errors.Select(e => e.ToString()));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task FormatSchema_RejectsWhatTheLoaderRejects()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Policies, "scoring.schema.json"));
        var json = YamlToJson(File.ReadAllText(Path.Combine(RepoPaths.Policy("dental"), ScoringConfig.FileName))
            .Replace("perQuarter: 0.25", "perQuarter: 0.5", StringComparison.Ordinal)
            .Replace("sla: 4h", "sla: soon", StringComparison.Ordinal));

        var errors = schema.Validate(json);

        Assert.Contains(errors, e => e.Path == "#/decay.perQuarter");
        Assert.Contains(errors, e => e.Path!.StartsWith("#/routing.queues.", StringComparison.Ordinal));
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    /// <summary>YAML to JSON with the YAML core schema's plain scalars (numbers, booleans, null), like the loader.</summary>
    private static string YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode)!.ToJsonString();
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "null" or "~" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException("unexpected YAML node"),
    };
}
