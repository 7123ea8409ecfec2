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
