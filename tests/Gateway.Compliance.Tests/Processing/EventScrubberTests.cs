using Gateway.Compliance.Classification;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Processing;

public class EventScrubberTests : IDisposable
{
    private readonly TestPolicyFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Form = """
        {"type":"track","event":"Form Submitted","messageId":"m-1","userId":"u-1","anonymousId":"a-1","timestamp":"2026-11-20T10:00:00Z",
         "context":{"ip":"203.0.113.9"},
         "properties":{"topic":"implants","notes":"call 617-555-0134","email":"Jane@Example.com","birthday":"1950-06-01",
           "tags":["new","vip"],"items":[{"sku":"a1","price":10},{"sku":"b2"}],"meta":{"source":"x"},"unknown":{"deep":"secret"}},
         "writeKey":"wk_live_secret","extra":"Jane Roe"}
        """;

    [Fact]
    public void Drops_EveryFieldThePolicyDoesNotName()
    {
        var (_, output, _) = Engine.Run(_folder.LoadValid(), Form);
        Assert.NotNull(output);
        Assert.NotNull(output);
        var json = output.ToJsonString();
        Assert.DoesNotContain("writeKey", json);
        Assert.DoesNotContain("wk_live_secret", json);
        Assert.DoesNotContain("Jane Roe", json);
        Assert.DoesNotContain("secret", json);
        Assert.DoesNotContain("price", json);
        Assert.False(output!["properties"]!.AsObject().ContainsKey("meta"));
        Assert.False(output.ContainsKey("context"));
    }

    [Fact]
    public void Writes_SystemFields_AndPseudonymizesIds_AlwaysFirst()
    {
        var (result, output, _) = Engine.Run(_folder.LoadValid(), Form);
        Assert.NotNull(output);
        Assert.Equal(["type", "event", "messageId"], output!.Select(p => p.Key).Take(3));
        Assert.Equal(Engine.Pseudonym("m-1"), (string?)output["messageId"]);
        Assert.Equal(Engine.Pseudonym("u-1"), (string?)output["userId"]);
        Assert.Equal(Engine.Pseudonym("a-1"), (string?)output["anonymousId"]);
        Assert.Equal(Engine.Pseudonym("u-1"), result.Subject);
    }

    [Fact]
    public void Applies_RulesToArrayItems_AndNestedObjectsInArrays()
    {
        var (_, output, _) = Engine.Run(_folder.LoadValid(), Form);
        Assert.NotNull(output);
        var properties = output!["properties"]!;
        Assert.Equal("""["new","vip"]""", properties["tags"]!.ToJsonString());
        Assert.Equal("""[{"sku":"a1"},{"sku":"b2"}]""", properties["items"]!.ToJsonString());
    }

    [Fact]
    public void Hmac_UsesTheRulesNormalization()
    {
        var (_, output, _) = Engine.Run(_folder.LoadValid(), Form);
        Assert.NotNull(output);
        Assert.Equal(Engine.Pseudonym("jane@example.com", normalization: Gateway.Compliance.Pseudonyms.IdentifierNormalization.Email), (string?)output!["properties"]!["email"]);
    }

    [Fact]
    public void Derives_Features_BeforeDroppingTheField()
    {
        var (_, output, audit) = Engine.Run(_folder.LoadValid(), Form);
        Assert.NotNull(output);
        Assert.False(output!["properties"]!.AsObject().ContainsKey("birthday"));
        Assert.Equal("75-89", (string?)output["derived"]!["age_band"]);
        Assert.Equal("""{"properties.birthday":["age_band"]}""", audit["derived"]!.ToJsonString());
    }

    [Fact]
    public void Records_UnnamedFields_AsParentWildcard_NeverByName()
    {
        var (_, _, audit) = Engine.Run(_folder.LoadValid(), Form);
        var unmapped = audit["unmapped"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Equal(["*", "properties.*", "properties.items.*.*"], unmapped);
        var text = audit.ToJsonString();
        Assert.DoesNotContain("unknown", text);
        Assert.DoesNotContain("writeKey", text);
        Assert.DoesNotContain("extra", text);
    }

    [Fact]
    public void Audit_ListsActionsPerPath_AndDetectors_WithoutValues()
    {
        var (_, _, audit) = Engine.Run(_folder.LoadValid(), Form);
        Assert.Equal("""["properties.notes"]""", audit["fields"]!["redact-text"]!.ToJsonString());
        Assert.Equal("""{"properties.notes":["phone"]}""", audit["detected"]!.ToJsonString());
        Assert.Contains("\"context\"", audit["fields"]!["drop"]!.ToJsonString());
        var text = audit.ToJsonString();
        foreach (var value in new[] { "617-555-0134", "Jane@Example.com", "jane@example.com", "1950-06-01", "203.0.113.9", "u-1", "a-1", "m-1" })
        {
            Assert.DoesNotContain(value, text);
        }
    }

    [Fact]
    public void Omits_ContainersWhoseFieldsWereAllDropped()
    {
        var json = """{"type":"identify","userId":"u","traits":{"email":"not-an-email","address":{"street":"1 Main St"}}}""";
        var (_, output, _) = Engine.Run(_folder.LoadValid(), json);
        Assert.NotNull(output);
        Assert.False(output.ContainsKey("traits"));
        Assert.DoesNotContain("address", output.ToJsonString());
        Assert.Equal(false, (bool?)output["derived"]!["email_valid"]);
    }

    [Fact]
    public void Invalid_ValuesAreDropped_AndAudited()
    {
        var json = """{"type":"identify","userId":"u","traits":{"address":{"postal_code":"ABCDE"}}}""";
        var (_, output, audit) = Engine.Run(_folder.LoadValid(), json);
        Assert.NotNull(output);
        Assert.False(output!.ContainsKey("traits"));
        Assert.Equal("""["traits.address.postal_code"]""", audit["fields"]!["invalid"]!.ToJsonString());
    }

    [Fact]
    public void DeidentifiedMask_WithholdsPhiClasses()
    {
        var (result, output, audit) = Engine.Run(_folder.LoadValid(), Form, allowed: DataClassNames.Deidentified);
        Assert.NotNull(output);
        Assert.False(output!.ContainsKey("userId"));
        Assert.False(output.ContainsKey("anonymousId"));
        Assert.False(output["properties"]!.AsObject().ContainsKey("notes"));
        Assert.False(output["properties"]!.AsObject().ContainsKey("email"));
        Assert.False(output.ContainsKey("timestamp"));
        Assert.Equal("implants", (string?)output["properties"]!["topic"]);
        Assert.False(result.Classes.ContainsPhi());
        Assert.Contains("userId", audit["fields"]!["withheld"]!.ToJsonString());
    }

    [Fact]
    public void Rejects_SchemaViolations_WithPathAndRule_NotValue()
    {
        var json = """{"type":"track","event":"Form Submitted","userId":"u","properties":{"topic":"Jane Roe 617-555-0134"}}""";
        var (result, output, audit) = Engine.Run(_folder.LoadValid(), json);
        Assert.Equal(EventDisposition.Rejected, result.Disposition);
        Assert.Null(output);
        Assert.Equal([new Gateway.Compliance.Schemas.SchemaViolation("properties.topic", "pattern-mismatch")], result.Violations);
        Assert.DoesNotContain("Jane", audit.ToJsonString());
    }

    [Fact]
    public void Violations_NameUndeclaredPropertiesAsWildcards()
    {
        var schema = TestPolicyFolder.FormSchema.Replace("\"meta\": { \"type\": \"object\", \"properties\": { \"source\": { \"type\": \"string\" } } }",
            "\"meta\": { \"type\": \"object\", \"additionalProperties\": false }", StringComparison.Ordinal);
        using var folder = new TestPolicyFolder(formSchema: schema);
        var json = """{"type":"track","event":"Form Submitted","userId":"u","properties":{"topic":"ok","meta":{"jane.roe@example.com":1}}}""";
        var (result, _, _) = Engine.Run(folder.LoadValid(), json);
        var violation = Assert.Single(result.Violations);
        Assert.DoesNotContain("jane", violation.Path, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("properties.meta", violation.Path);
    }

    [Theory]
    [InlineData("""{"type":"track","event":"Page Liked","userId":"u"}""", EventDisposition.Dropped, "unlisted-event-type")]
    [InlineData("""{"type":"screen","userId":"u"}""", EventDisposition.Dropped, "unlisted-event-type")]
    [InlineData("""{"type":"shout","userId":"u"}""", EventDisposition.Rejected, "type-unknown")]
    [InlineData("""{"event":"Form Submitted","userId":"u"}""", EventDisposition.Rejected, "type-missing")]
    [InlineData("""[1,2]""", EventDisposition.Rejected, "event-not-an-object")]
    [InlineData("""{"type":"track","event":42,"userId":"u"}""", EventDisposition.Rejected, "schema-invalid")]
    [InlineData("""{"type":"track","event":"Form Submitted","properties":{"topic":"x"}}""", EventDisposition.Rejected, "identity-missing")]
    public void Classifies_EventsItCannotForward(string json, EventDisposition disposition, string reason)
    {
        var (result, output, _) = Engine.Run(_folder.LoadValid(), json);
        Assert.Equal(disposition, result.Disposition);
        Assert.Equal(reason, result.Reason);
        Assert.Null(output);
    }

    [Fact]
    public void UnlistedEvents_AreRejected_WhenThePolicySaysSo()
    {
        using var folder = TestPolicyFolder.With("destinations:", "unlistedEvents: reject\ndestinations:");
        var (result, _, audit) = Engine.Run(folder.LoadValid(), """{"type":"track","event":"Call Jane Roe","userId":"u"}""");
        Assert.Equal(EventDisposition.Rejected, result.Disposition);
        Assert.Null(result.EventType);
        Assert.DoesNotContain("Jane", audit.ToJsonString());
    }

    [Fact]
    public void EndpointType_IsUsed_WhenTheBodyHasNone()
    {
        var (result, output, _) = Engine.Run(_folder.LoadValid(), """{"userId":"u","traits":{"plan":"gold"}}""", endpoint: "identify");
        Assert.NotNull(output);
        Assert.Equal(EventDisposition.Forward, result.Disposition);
        Assert.Equal("identify", (string?)output!["type"]);
    }

    [Fact]
    public void MissingMessageId_GetsAStableIdFromTheEventBytes()
    {
        const string json = """{"type":"identify","userId":"u","traits":{"plan":"gold"}}""";
        var first = Engine.Run(_folder.LoadValid(), json).Result.MessageId;
        var retry = Engine.Run(_folder.LoadValid(), json).Result.MessageId;
        var other = Engine.Run(_folder.LoadValid(), json.Replace("gold", "silver", StringComparison.Ordinal)).Result.MessageId;
        Assert.Equal(first, retry);
        Assert.NotEqual(first, other);
        Assert.StartsWith("gw-k1:", first);
    }

    [Fact]
    public void Subject_FallsBackToAnonymousId_AndAcceptsNumbers()
    {
        var (result, output, _) = Engine.Run(_folder.LoadValid(), """{"type":"identify","anonymousId":12345,"traits":{"plan":"gold"}}""");
        Assert.NotNull(output);
        Assert.Equal(Engine.Pseudonym("12345"), result.Subject);
        Assert.Equal(Engine.Pseudonym("12345"), (string?)output!["anonymousId"]);
    }

    [Fact]
    public void EscapedPropertyNames_MatchTheirRules()
    {
        var (_, output, _) = Engine.Run(_folder.LoadValid(), """{"type":"identify","userId":"u","traits":{"pl\u0061n":"gold","\u0065mail":"x@y.com"}}""");
        Assert.NotNull(output);
        Assert.Equal("gold", (string?)output!["traits"]!["plan"]);
        Assert.Equal(true, (bool?)output["derived"]!["email_valid"]);
    }
}

public class EventProcessorBufferTests : IDisposable
{
    private readonly TestPolicyFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SeveralEvents_InOneRequest_EachGetTheirOwnOutputSlice()
    {
        var policy = _folder.LoadValid();
        var processor = new EventProcessor();
        processor.Reset(Engine.Practice(), Engine.Today);
        var results = new List<EventResult>();
        for (var i = 0; i < 3; i++)
        {
            using var document = System.Text.Json.JsonDocument.Parse("{\"type\":\"identify\",\"userId\":\"u" + i + "\",\"traits\":{\"plan\":\"p" + i + "\"}}");
            results.Add(processor.Process(i, document.RootElement, null, policy));
        }

        for (var i = 0; i < 3; i++)
        {
            var output = System.Text.Json.Nodes.JsonNode.Parse(processor.OutputOf(results[i]))!;
            Assert.Equal($"p{i}", (string?)output["traits"]!["plan"]);
        }

        Assert.True(results[1].Output.Offset > results[0].Output.Offset);
    }
}
