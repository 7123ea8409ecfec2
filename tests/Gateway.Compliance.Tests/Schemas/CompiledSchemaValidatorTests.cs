using System.Text.Json;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Schemas;
using Gateway.Compliance.Tests.TestSupport;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation.FormatValidators;
using Xunit.Abstractions;

namespace Gateway.Compliance.Tests.Schemas;

public class CompiledSchemaValidatorTests(ITestOutputHelper output)
{
    private const int EventsPerType = 400;

    [Theory]
    [InlineData("dental")]
    [InlineData("healthcare")]
    [InlineData("digital-health")]
    public void Every_ShippedEventType_IsCompiled(string vertical)
    {
        var policy = new PolicyLoader().LoadOrThrow(RepoPaths.Policy(vertical));
        Assert.All(policy.EventTypes, t => Assert.IsType<CompiledSchemaValidator>(t.Validator));
    }

    /// <summary>
    /// The differential test: on thousands of generated events per policy, the compiled verdict agrees with
    /// NJsonSchema's wherever the compiled validator decides alone, and the validator as a whole (which asks
    /// NJsonSchema otherwise) returns exactly NJsonSchema's verdict and violations.
    /// </summary>
    [Theory]
    [InlineData("dental", 1)]
    [InlineData("healthcare", 2)]
    [InlineData("digital-health", 3)]
    public void Verdicts_MatchNJsonSchema_OnGeneratedCorpus(string vertical, int seed)
    {
        var policy = new PolicyLoader().LoadOrThrow(RepoPaths.Policy(vertical));
        int valid = 0, invalid = 0, unsure = 0, total = 0;
        var disagreements = new List<string>();
        var unsureSamples = new List<string>();
        foreach (var eventType in policy.EventTypes)
        {
            var compiled = Assert.IsType<CompiledSchemaValidator>(eventType.Validator);
            var reference = new NJsonSchemaEventValidator(eventType.Schema.Schema);
            var index = 0;
            var fixtures = SchemaMutationCorpus.BaseEvents(policy, eventType).Count;
            foreach (var json in SchemaMutationCorpus.Generate(policy, eventType, EventsPerType, seed * 1000 + total))
            {
                index++;
                using var document = TryParse(json);
                if (document is null)
                {
                    // Beyond System.Text.Json's depth: ingest refuses it before any schema is consulted.
                    continue;
                }

                var expectedViolations = new List<SchemaViolation>();
                var expected = reference.Validate(document.RootElement, expectedViolations);
                var verdict = compiled.Check(document.RootElement);
                var actualViolations = new List<SchemaViolation>();
                var actual = compiled.Validate(document.RootElement, actualViolations);
                total++;
                if (index <= fixtures && verdict != SchemaVerdict.Valid && expected)
                {
                    disagreements.Add($"{eventType.Key}: a shipped fixture is not on the fast path ({verdict})");
                }

                switch (verdict)
                {
                    case SchemaVerdict.Valid:
                        valid++;
                        break;
                    case SchemaVerdict.Invalid:
                        invalid++;
                        break;
                    default:
                        unsure++;
                        if (unsureSamples.Count < 8)
                        {
                            unsureSamples.Add(Shorten(json));
                        }

                        break;
                }

                if ((verdict == SchemaVerdict.Valid && !expected) || (verdict == SchemaVerdict.Invalid && expected)
                    || actual != expected || !actualViolations.SequenceEqual(expectedViolations))
                {
                    disagreements.Add($"{eventType.Key}: compiled {verdict}, NJsonSchema {(expected ? "valid" : "invalid")} ({string.Join("; ", expectedViolations)}): {Shorten(json)}");
                }
            }
        }

        output.WriteLine($"{vertical}: {total} events, compiled valid {valid}, invalid {invalid}, left to NJsonSchema {unsure}");
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {total} disagree:{Environment.NewLine}{string.Join(Environment.NewLine, disagreements.Take(20))}");
        Assert.True(total >= 5000, $"only {total} events");
        Assert.True(valid > total / 10, $"only {valid} of {total} accepted by the compiled validator");
        Assert.True(invalid > total / 4, $"only {invalid} of {total} rejected by the compiled validator");
        Assert.True(unsure < total / 5, $"{unsure} of {total} left to NJsonSchema, e.g.{Environment.NewLine}{string.Join(Environment.NewLine, unsureSamples)}");
    }

    [Fact]
    public async Task Schema_WithUnmodelledKeyword_StaysOnNJsonSchema()
    {
        var schema = await JsonSchema.FromJsonAsync("""
            { "type": "object", "properties": { "a": { "anyOf": [ { "type": "string" }, { "type": "number" } ] } } }
            """);
        Assert.IsType<NJsonSchemaEventValidator>(CompiledSchemaValidator.Create(schema));
    }

    [Fact]
    public async Task Schema_WithUnmodelledFormat_StaysOnNJsonSchema()
    {
        var schema = await JsonSchema.FromJsonAsync("""{ "type": "object", "properties": { "a": { "type": "string", "format": "email" } } }""");
        Assert.IsType<NJsonSchemaEventValidator>(CompiledSchemaValidator.Create(schema));
    }

    [Fact]
    public async Task Rejection_ReportsNJsonSchemaViolations_WithoutValues()
    {
        var schema = await JsonSchema.FromJsonAsync("""
            { "type": "object", "required": ["id"], "properties": { "id": { "type": "string", "maxLength": 3 }, "n": { "type": "integer", "maximum": 5 } }, "additionalProperties": false }
            """);
        var validator = Assert.IsType<CompiledSchemaValidator>(CompiledSchemaValidator.Create(schema));
        using var document = JsonDocument.Parse("""{ "id": "secret-value", "n": 6, "jane_roe_at_example": 1 }""");
        var violations = new List<SchemaViolation>();

        Assert.False(validator.Validate(document.RootElement, violations));

        Assert.Contains(new SchemaViolation("id", "string-too-long"), violations);
        Assert.Contains(new SchemaViolation("n", "number-too-big"), violations);
        Assert.Contains(new SchemaViolation("*", "no-additional-properties-allowed"), violations);
        Assert.DoesNotContain(violations, v => v.ToString().Contains("secret", StringComparison.Ordinal) || v.ToString().Contains("jane", StringComparison.Ordinal));
    }

    /// <summary>The compiled fast path for date-time strings relies on NJsonSchema accepting the same ISO form.</summary>
    [Theory]
    [InlineData("2026-11-22T09:59:58.000Z")]
    [InlineData("2026-11-22T09:59:58Z")]
    [InlineData("2026-11-22T09:59:58")]
    [InlineData("2026-11-22T09:59:58.1234567+05:30")]
    public void DateTimeFastPath_IsAcceptedByNJsonSchema(string value)
    {
        Assert.True(CompiledSchemaValidator.MayBeReadAsDate(value));
        Assert.True(new DateTimeFormatValidator().IsValid(value, JTokenType.String));
    }

    /// <summary>The hand-written date-time check only ever accepts what the parse with the ISO format accepts.</summary>
    [Theory]
    [InlineData("2026-11-22T09:59:58.000Z", true)]
    [InlineData("2026-11-22T09:59:58Z", true)]
    [InlineData("2026-11-22T09:59:58", true)]
    [InlineData("2026-11-22T09:59:58.1234567+05:30", true)]
    [InlineData("2024-02-29T23:59:59-14:00", true)]
    [InlineData("2026-02-29T10:00:00Z", false)]
    [InlineData("2026-11-22T24:00:00Z", false)]
    [InlineData("2026-11-22T10:00:00.Z", false)]
    [InlineData("2026-11-22T10:00:00.12345678Z", false)]
    [InlineData("2026-11-22T10:00:00+14:30", false)]
    [InlineData("0001-01-01T00:00:00+01:00", false)]
    [InlineData("2026-11-22T10:00:00+0530", false)]
    [InlineData("2026-11-22T10:00:60Z", false)]
    public void PlainIsoDateTime_ImpliesParse(string value, bool plain)
    {
        Assert.Equal(plain, CompiledSchemaValidator.IsPlainIsoDateTime(value));
        if (plain)
        {
            Assert.True(DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out _));
        }
    }

    private static JsonDocument? TryParse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string json) => json.Length > 1500 ? json[..1500] + "..." : json;
}
