using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Validation;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Tests.TestSupport;
using Gateway.Compliance.Tokens;

namespace Gateway.Compliance.Tests.Processing;

/// <summary>
/// Events built to break the engine: invalid Unicode, numbers no parser agrees on, fields of the wrong kind,
/// and a failure in the middle of an event. Each must end as a stable reason, never as an exception, and
/// never with bytes of a failed event left in the request's output.
/// </summary>
public class HostileEventTests
{
    internal static readonly Lazy<CompiledPolicy> Dental = new(() => new PolicyLoader().Load(RepoPaths.Policy("dental")).Policy!);

    private const string Consent = "\"context\":{\"consent\":{\"categoryPreferences\":{\"Analytics\":true}}}";

    private static string Track(string name, string properties, string extra = "") =>
        $$"""{"type":"track","event":"{{name}}","userId":"u-1","messageId":"m-1",{{Consent}},"properties":{{properties}}{{extra}}}""";

    [Theory]
    [InlineData("a kept context field", """{"type":"track","event":"Service Page Viewed","userId":"u","context":{"locale":"\ud800x"},"properties":{"service_line":"implants"}}""")]
    [InlineData("a redact-text field (low surrogate alone)", """{"type":"track","event":"Appointment Requested","userId":"u","properties":{"service_line":"implants","notes":"hi \udc00 there"}}""")]
    [InlineData("a policy-wide redact-text field", """{"type":"track","event":"Service Page Viewed","userId":"u","context":{"campaign":{"name":"\ud800"}},"properties":{"service_line":"implants"}}""")]
    [InlineData("a url field", """{"type":"track","event":"Service Page Viewed","userId":"u","context":{"page":{"url":"https://a.example/\ud800"}},"properties":{"service_line":"implants"}}""")]
    [InlineData("a property name", """{"type":"track","event":"Service Page Viewed","userId":"u","context":{"library":{"\ud800":"x"}},"properties":{"service_line":"implants"}}""")]
    [InlineData("an unmapped field", """{"type":"track","event":"Service Page Viewed","userId":"u","properties":{"service_line":"implants","free":"\udfff"}}""")]
    [InlineData("userId", """{"type":"track","event":"Service Page Viewed","userId":"\ud800","properties":{"service_line":"implants"}}""")]
    [InlineData("messageId", """{"type":"track","event":"Service Page Viewed","userId":"u","messageId":"\ud800","properties":{"service_line":"implants"}}""")]
    [InlineData("the event name", """{"type":"track","event":"\ud800","userId":"u","properties":{"service_line":"implants"}}""")]
    [InlineData("the type", """{"type":"tr\ud800ack","userId":"u"}""")]
    [InlineData("a high surrogate before a raw character", """{"type":"track","event":"Service Page Viewed","userId":"u\ud83dé","properties":{"service_line":"implants"}}""")]
    [InlineData("two high surrogates", """{"type":"track","event":"Service Page Viewed","userId":"\ud83d\ud83d","properties":{"service_line":"implants"}}""")]
    [InlineData("a high surrogate at the end of a string", """{"type":"track","event":"Service Page Viewed","userId":"ok\ud83d","properties":{"service_line":"implants"}}""")]
    public void LoneSurrogate_Anywhere_RejectsTheEventAsInvalidText(string where, string json)
    {
        var (result, output, audit) = Engine.Run(Dental.Value, json);
        Assert.True(result.Disposition == EventDisposition.Rejected, where);
        Assert.Equal(EventReasons.InvalidText, result.Reason);
        Assert.Null(output);
        Assert.Equal("invalid-text", (string?)audit["reason"]);
    }

    [Theory]
    [InlineData("a lone continuation byte in a dropped field", "value", "80")]
    [InlineData("an overlong encoding", "value", "C0AF")]
    [InlineData("a surrogate encoded in UTF-8 (CESU-8)", "value", "EDA080")]
    [InlineData("a cut multi-byte sequence", "value", "E282")]
    [InlineData("bytes that never occur in UTF-8", "value", "FFFE")]
    [InlineData("a property name", "name", "C328")]
    [InlineData("the userId", "userId", "80")]
    public void InvalidUtf8_WhichTheParserLetsThrough_RejectsTheEventAsInvalidText(string where, string field, string hex)
    {
        // System.Text.Json validates structure, not the UTF-8 inside strings: such bytes reach the engine.
        var json = Encoding.UTF8.GetBytes(Track("Service Page Viewed", """{"service_line":"implants","free_NAME":"VALUE"}"""));
        var invalid = Convert.FromHexString(hex);
        var marker = field switch { "name" => "NAME"u8.ToArray(), "userId" => "u-1"u8.ToArray(), _ => "VALUE"u8.ToArray() };
        var at = json.AsSpan().IndexOf(marker);
        byte[] bytes = [.. json[..at], .. invalid, .. json[at..]];
        using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
        var processor = new EventProcessor();
        processor.Reset(Engine.Practice(), Engine.Today);
        var result = processor.Process(0, document.RootElement, null, Dental.Value);
        Assert.True(result.Disposition == EventDisposition.Rejected, where);
        Assert.Equal(EventReasons.InvalidText, result.Reason);
    }

    [Fact]
    public void EscapedSurrogatePair_AndEscapedBackslashBeforeU_AreValidText()
    {
        // "\\ud800" is a backslash followed by the letters ud800, not an escape.
        var json = Track("Service Page Viewed", """{"service_line":"implants"}""", ""","anonymousId":"a-\ud83d\ude00-\\ud800" """);
        var (result, output, _) = Engine.Run(Dental.Value, json);
        Assert.Equal(EventDisposition.Forward, result.Disposition);
        Assert.NotNull(output);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e-400")]
    [InlineData("1.7976931348623157e309")]
    public void HugeOrTinyFloats_InABandedField_AreRejectedByTheSchema_NotThrown(string number)
    {
        var json = Track("Recall Responded", $$"""{"response":"scheduled","months_since_last_visit":{{number}}}""");
        var (result, output, _) = Engine.Run(Dental.Value, json);
        if (result.Disposition == EventDisposition.Forward)
        {
            // 1e-400 is 0: a valid number of months, banded like any other.
            Assert.Equal("<6", (string?)output!["properties"]!["months_since_last_visit"]);
        }
        else
        {
            Assert.Equal(EventReasons.SchemaInvalid, result.Reason);
        }
    }

    [Theory]
    [InlineData("properties.months_since_last_visit", """{"response":"scheduled","months_since_last_visit":NUMBER}""")]
    [InlineData("properties.*", """{"response":"scheduled","undeclared":NUMBER}""")]
    [InlineData("properties.*[1]", """{"response":"scheduled","undeclared":[1,NUMBER]}""")]
    public void IntegersBeyondInt64_AreASchemaViolation_NamingThePathOnly(string path, string properties)
    {
        foreach (var digits in new[] { 20, 40, 300 })
        {
            var number = "1" + new string('7', digits - 1);
            var (result, _, audit) = Engine.Run(Dental.Value, Track("Recall Responded", properties.Replace("NUMBER", number, StringComparison.Ordinal)));
            Assert.Equal(EventDisposition.Rejected, result.Disposition);
            Assert.Equal(EventReasons.SchemaInvalid, result.Reason);
            Assert.Contains(result.Violations, v => v.Path == path && v.Rule == "number-out-of-range");
            Assert.DoesNotContain("777", audit.ToJsonString());
        }
    }

    [Fact]
    public void IntegerTooLongForAnyParser_IsAnUnreadableEvent()
    {
        var (result, _, _) = Engine.Run(Dental.Value, Track("Recall Responded", $$"""{"response":"scheduled","x":{{new string('9', 400)}}}"""));
        Assert.Equal(EventReasons.SchemaInvalid, result.Reason);
        Assert.Equal("$", Assert.Single(result.Violations).Path);
    }

    [Theory]
    [InlineData("""{"type":{"a":1},"userId":"u"}""", "type-missing")]
    [InlineData("""{"type":["track"],"userId":"u"}""", "type-missing")]
    [InlineData("""{"type":42,"userId":"u"}""", "type-missing")]
    [InlineData("""{"type":true,"userId":"u"}""", "type-missing")]
    [InlineData("""{"type":null,"userId":"u"}""", "type-missing")]
    [InlineData("""{"type":"","userId":"u"}""", "type-unknown")]
    [InlineData("""{"type":"TRACK","userId":"u"}""", "type-unknown")]
    [InlineData("""{"type":"track","event":{"a":1},"userId":"u"}""", "schema-invalid")]
    [InlineData("""{"type":"track","event":null,"userId":"u"}""", "schema-invalid")]
    [InlineData("""{"type":"track","event":7,"userId":"u"}""", "schema-invalid")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","messageId":{"a":1},"userId":"u","properties":{"service_line":"implants"}}""", "schema-invalid")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","messageId":12,"userId":"u","properties":{"service_line":"implants"}}""", "schema-invalid")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","userId":{"a":1},"properties":{"service_line":"implants"}}""", "identity-missing")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","userId":[],"properties":{"service_line":"implants"}}""", "identity-missing")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","userId":false,"anonymousId":"a","properties":{"service_line":"implants"}}""", "schema-invalid")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","userId":null,"anonymousId":"  ","properties":{"service_line":"implants"}}""", "identity-missing")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","userId":"u","properties":[1,2]}""", "schema-invalid")]
    [InlineData("""{"type":"track","event":"Service Page Viewed","userId":"u","context":"x","properties":{"service_line":"implants"}}""", "schema-invalid")]
    [InlineData("""[]""", "event-not-an-object")]
    [InlineData("""null""", "event-not-an-object")]
    [InlineData("""42""", "event-not-an-object")]
    [InlineData("\"track\"", "event-not-an-object")]
    public void EnvelopeFieldsOfTheWrongKind_AreRejectedWithAStableReason(string json, string reason)
    {
        var (result, output, _) = Engine.Run(Dental.Value, json);
        Assert.Equal(EventDisposition.Rejected, result.Disposition);
        Assert.Equal(reason, result.Reason);
        Assert.Null(output);
    }

    [Theory]
    [InlineData("deep arrays", """{"service_line":"implants","x":DEEP}""")]
    [InlineData("an empty property name", """{"service_line":"implants","":"x"}""")]
    [InlineData("a dotted property name", """{"service_line":"implants","service_line.x":"x"}""")]
    [InlineData("an escaped property name", """{"service\u005fline":"implants"}""")]
    [InlineData("a 20 000 character property name", "{\"service_line\":\"implants\",\"LONG\":1}")]
    [InlineData("an escaped NUL", """{"service_line":"implants","n":"a\u0000b"}""")]
    public void OddButValidShapes_AreForwarded_WithOnlyThePolicysFields(string what, string properties)
    {
        var json = Track("Service Page Viewed", properties
            .Replace("LONG", new string('a', 20_000), StringComparison.Ordinal)
            .Replace("DEEP", new string('[', 28) + new string(']', 28), StringComparison.Ordinal));
        var (result, output, _) = Engine.Run(Dental.Value, json);
        Assert.True(result.Disposition == EventDisposition.Forward, what);
        Assert.Equal("""{"service_line":"implants"}""", output!["properties"]!.ToJsonString());
    }

    [Fact]
    public void DottedTopLevelName_DoesNotMatchANestedRule()
    {
        var json = Track("Service Page Viewed", """{"service_line":"implants"}""", ""","context.ip":"198.51.100.7","properties.service_line":"x" """);
        var (_, output, _) = Engine.Run(Dental.Value, json);
        Assert.DoesNotContain("198.51.100.7", output!.ToJsonString());
        Assert.False(output.ContainsKey("context.ip"));
    }

    [Fact]
    public void FailureInTheMiddleOfAnEvent_RejectsOnlyThatEvent_AndLeavesNoBytesOfIt()
    {
        using var folder = TokenizingPolicy();
        var policy = new PolicyLoader(new PolicyEngineComponents { Tokens = new ExplodingTokens() }).Load(folder.Directory).Policy!;
        var big = new string('x', 6000);
        string Form(string email) =>
            """{"type":"track","event":"Form Submitted","userId":"u","messageId":"m","properties":{"topic":"a","notes":"BIG","email":"EMAIL","tags":["t"]}}"""
                .Replace("BIG", big, StringComparison.Ordinal).Replace("EMAIL", email, StringComparison.Ordinal);

        using var good1 = JsonDocument.Parse(Form("a@example.com"));
        using var bad = JsonDocument.Parse(Form(ExplodingTokens.Trigger));
        using var good2 = JsonDocument.Parse(Form("b@example.com"));
        var processor = new EventProcessor();
        processor.Reset(Engine.Practice(), Engine.Today);
        var results = new[] { good1, bad, good2 }.Select((d, i) => processor.Process(i, d.RootElement, null, policy)).ToList();

        Assert.Equal([EventDisposition.Forward, EventDisposition.Rejected, EventDisposition.Forward], results.Select(r => r.Disposition));
        Assert.Equal(EventReasons.Unprocessable, results[1].Reason);
        Assert.Equal(results[0].Output.Length + results[2].Output.Length, processor.Written.Length);
        Assert.Equal(results[0].Output.Offset + results[0].Output.Length, results[2].Output.Offset);
        foreach (var r in new[] { results[0], results[2] })
        {
            var json = JsonNode.Parse(processor.OutputOf(r))!;
            Assert.StartsWith("tok:", (string?)json["properties"]!["email"]);
            Assert.Equal("""["t"]""", json["properties"]!["tags"]!.ToJsonString());
        }
    }

    [Fact]
    public void PatternTimeoutOnOneEvent_RejectsThatEventForGood_InsteadOfFailingTheRequest()
    {
        using var folder = TokenizingPolicy();
        var policy = new PolicyLoader(new PolicyEngineComponents { Tokens = new ExplodingTokens() }).Load(folder.Directory).Policy!;
        string Form(string email) =>
            """{"type":"track","event":"Form Submitted","userId":"u","messageId":"m","properties":{"topic":"a","email":"EMAIL"}}""".Replace("EMAIL", email, StringComparison.Ordinal);

        using var good = JsonDocument.Parse(Form("a@example.com"));
        using var slow = JsonDocument.Parse(Form(ExplodingTokens.TimesOut));
        var processor = new EventProcessor();
        processor.Reset(Engine.Practice(), Engine.Today);
        var results = new[] { good, slow }.Select((d, i) => processor.Process(i, d.RootElement, null, policy)).ToList();

        Assert.Equal([EventDisposition.Forward, EventDisposition.Rejected], results.Select(r => r.Disposition));
        Assert.Equal(EventReasons.Unprocessable, results[1].Reason);
        Assert.Equal(results[0].Output.Length, processor.Written.Length);
    }

    [Fact]
    public void TokenizerOutage_IsNotMistakenForABadEvent_ItReachesTheHost()
    {
        using var folder = TokenizingPolicy();
        var policy = new PolicyLoader(new PolicyEngineComponents { Tokens = new ExplodingTokens() }).Load(folder.Directory).Policy!;
        var json = """{"type":"track","event":"Form Submitted","userId":"u","properties":{"topic":"a","email":"outage@example.com"}}""";
        Assert.ThrowsAny<CryptographicException>(() => Engine.Run(policy, json));
    }

    private static TestPolicyFolder TokenizingPolicy() =>
        new(TestPolicyFolder.ValidPolicy.Replace("properties.email: { action: hmac, normalize: email }", "properties.email: tokenize", StringComparison.Ordinal));

    /// <summary>Throws an input-kind exception for one value (a bug in an operator) and a key failure for another (an outage).</summary>
    private sealed class ExplodingTokens : ITokenProtector
    {
        public const string Trigger = "boom@example.com";

        public const string TimesOut = "slow@example.com";

        public string Protect(string practiceId, string value) => value switch
        {
            Trigger => throw new ArgumentException("an operator failed on this value"),
            TimesOut => throw new System.Text.RegularExpressions.RegexMatchTimeoutException(),
            "outage@example.com" => throw new CryptographicException("The key ring has no usable key."),
            _ => "T" + value.Length,
        };

        public string Unprotect(string practiceId, string token) => throw new NotSupportedException();
    }
}
