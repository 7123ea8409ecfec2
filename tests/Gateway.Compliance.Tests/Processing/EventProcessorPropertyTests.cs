using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Events;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Tests.TestSupport;
using Gateway.Tests.Shared;

namespace Gateway.Compliance.Tests.Processing;

/// <summary>
/// Property-based tests of the engine with the shipped dental policy: mutated fixture events and arbitrary
/// JSON never make it throw, forwarded events are valid JSON with their system fields, no canary planted
/// where the policy forwards nothing comes out, and the audit never holds a value.
/// </summary>
public class EventProcessorPropertyTests
{
    /// <summary>How the gateway parses request bodies (defaults of <c>Gateway:Limits</c>).</summary>
    private static readonly JsonDocumentOptions s_gatewayParsing = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    private static readonly JsonDocumentOptions s_strict = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    private static readonly string[] s_reasons =
    [
        EventReasons.NotAnObject, EventReasons.TypeMissing, EventReasons.TypeUnknown, EventReasons.UnlistedEventType,
        EventReasons.SchemaInvalid, EventReasons.IdentityMissing, EventReasons.EventTooLarge, EventReasons.InvalidText, EventReasons.Unprocessable,
    ];

    private static CompiledPolicy Dental => HostileEventTests.Dental.Value;

    private static readonly Lazy<IReadOnlyList<JsonObject>> s_fixtures = new(() => HostileJson.FixtureInputs(RepoPaths.Policy("dental")));

    private static readonly Lazy<IReadOnlyList<string>> s_neverKept = new(() => NeverKeptPaths(Dental));

    /// <summary>Paths every event type of the policy drops or pseudonymizes (no rule anywhere forwards their value), and <c>messageId</c>.</summary>
    internal static IReadOnlyList<string> NeverKeptPaths(CompiledPolicy policy)
    {
        var rules = policy.EventTypes.SelectMany(t => t.Rules).ToList();
        var forwarding = rules.Where(r => r.Operator.Action is not ("drop" or "hmac")).Select(r => r.Path.Text).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. rules.Where(r => r.Operator.Action is "drop" or "hmac").Select(r => r.Path.Text)
                .Where(p => !forwarding.Contains(p) && !p.Contains('*', StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal),
            "messageId",
        ];
    }

    [Fact]
    public void NeverKeptPaths_CoverIdentifiersOfEveryKind()
    {
        // Guards the canary property below from planting nowhere interesting.
        var paths = s_neverKept.Value;
        Assert.Contains("userId", paths);
        Assert.Contains("context.ip", paths);
        Assert.Contains("properties.email", paths);
        Assert.Contains("traits.address.street", paths);
        Assert.DoesNotContain("properties.service_line", paths);
        Assert.DoesNotContain("properties.notes", paths);
    }

    [Fact]
    public void MutatedEvents_NeverThrow_AndForwardNoCanary()
    {
        var outcomes = new int[3];
        var property = Prop.ForAll(Arb.From(HostileJson.MutatedEvent(s_fixtures.Value, s_neverKept.Value)), c => CheckOne(c, outcomes));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);

        // Not vacuous: a fair share of mutated events still passes the schema and is forwarded (with its canaries dropped).
        Assert.True(outcomes[(int)EventDisposition.Forward] >= 50, $"forwarded {outcomes[0]}, dropped {outcomes[1]}, rejected {outcomes[2]}");
        Assert.True(outcomes[(int)EventDisposition.Rejected] >= 50, $"forwarded {outcomes[0]}, dropped {outcomes[1]}, rejected {outcomes[2]}");
    }

    [Fact]
    public void ArbitraryJson_NeverThrows_AndForwardedEventsCarryTheSystemFields()
    {
        var outcomes = new int[3];
        var property = Prop.ForAll(Arb.From(HostileJson.ArbitraryEvent), c => CheckOne(c, outcomes));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
        Assert.True(outcomes.Sum() >= 150, "most generated documents should be within the gateway's parse limits");
    }

    [Fact]
    public void CorruptedBytes_NeverThrow_AndInvalidUtf8IsInvalidText()
    {
        var fixtures = s_fixtures.Value.Select(f => Encoding.UTF8.GetBytes(f.ToJsonString())).ToArray();
        var edit = Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Frequency(
            (4, Gen.Choose(0x80, 0xFF)),
            (1, Gen.Elements<int>('"', '\\', '{', '}', '[', ',', ':', 'u', 0x00, 0x1F))));
        var corrupted = from index in Gen.Choose(0, fixtures.Length - 1)
                        from edits in Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(edit, n))
                        select Corrupt(fixtures[index], edits);
        var outcomes = new int[3];
        var property = Prop.ForAll(Arb.From(corrupted), bytes => CheckOne(bytes, [], outcomes));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
        Assert.True(outcomes.Sum() >= 60, $"only {outcomes.Sum()} corrupted documents still parsed");
    }

    /// <summary>Replaces, inserts or deletes one byte per edit (the position's remainder by 3 picks which).</summary>
    private static byte[] Corrupt(byte[] source, IEnumerable<(int Position, int Value)> edits)
    {
        var bytes = source.ToList();
        foreach (var (position, value) in edits)
        {
            var at = position % bytes.Count;
            switch (position / bytes.Count % 3)
            {
                case 0:
                    bytes[at] = (byte)value;
                    break;
                case 1:
                    bytes.Insert(at, (byte)value);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void EventsSharingOneProcessor_AreWrittenExactlyAsIfAlone()
    {
        var item = Gen.Frequency(
            (3, HostileJson.MutatedEvent(s_fixtures.Value, s_neverKept.Value)),
            (1, HostileJson.ArbitraryEvent),
            (2, Gen.Elements([.. s_fixtures.Value]).Select(f => new HostileJson.Case(f.ToJsonString(), [], "fixture"))));
        var batches = Gen.Choose(1, 8).SelectMany(n => Gen.ListOf(item, n)).Select(list => list.ToArray());
        var property = Prop.ForAll(Arb.From(batches), batch =>
        {
            var documents = batch.Select(c => TryParse(c.Json)).Where(d => d is not null).Select(d => d!).ToList();
            try
            {
                var shared = new EventProcessor();
                shared.Reset(Engine.Practice(), Engine.Today);
                var results = documents.Select((d, i) => shared.Process(i, d.RootElement, null, Dental)).ToList();
                var forwarded = results.Where(r => r.Disposition == EventDisposition.Forward).ToList();
                Assert.Equal(forwarded.Sum(r => r.Output.Length), shared.Written.Length);
                foreach (var result in forwarded)
                {
                    var alone = new EventProcessor();
                    alone.Reset(Engine.Practice(), Engine.Today);
                    var single = alone.Process(0, documents[result.Index].RootElement, null, Dental);
                    Assert.Equal(EventDisposition.Forward, single.Disposition);
                    Assert.Equal(Encoding.UTF8.GetString(alone.OutputOf(single)), Encoding.UTF8.GetString(shared.OutputOf(result)));
                }
            }
            finally
            {
                documents.ForEach(d => d.Dispose());
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    [Fact]
    public void InvalidTextCheck_AgreesWithSystemTextJson_OnEveryEscapeSequence()
    {
        var pieces = Gen.Elements("a", "é", "😀", @"\ud800", @"\udbff", @"\udc00", @"\udfff", @"\ud83d\ude00", @"\uD83D\uDE00", @"\u0041",
            @"\\", @"\\u", "ud800", @"\n", @"\""", @"\/", @"\u005c", @"\u005cud800");
        var strings = Gen.ListOf(pieces).Select(p => string.Concat(p));
        var property = Prop.ForAll(Arb.From(strings), text =>
        {
            foreach (var json in new[] { "\"" + text + "\"", "{\"" + text + "\":1}" })
            {
                using var document = JsonDocument.Parse(json);
                bool readable;
                try
                {
                    _ = document.RootElement.ValueKind == JsonValueKind.String
                        ? document.RootElement.GetString()
                        : document.RootElement.EnumerateObject().Single().Name;
                    readable = true;
                }
                catch (InvalidOperationException)
                {
                    readable = false;
                }

                Assert.Equal(readable, JsonText.IsValidUnicode(Encoding.UTF8.GetBytes(json)));
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    private static JsonDocument? TryParse(string json) => TryParse(Encoding.UTF8.GetBytes(json));

    private static JsonDocument? TryParse(byte[] json)
    {
        try
        {
            return JsonDocument.Parse(json, s_gatewayParsing);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-key check unescapes property names and throws on a lone surrogate; the gateway answers 400.
            return null;
        }
    }

    /// <summary>One event through a fresh processor: every invariant the engine promises.</summary>
    private static void CheckOne(HostileJson.Case c, int[] outcomes) => CheckOne(Encoding.UTF8.GetBytes(c.Json), c.Canaries, outcomes);

    private static void CheckOne(byte[] json, IReadOnlyList<string> canaries, int[] outcomes)
    {
        // What the gateway's parser refuses never reaches the engine (it is a request-level 400).
        using var document = TryParse(json);
        if (document is null)
        {
            return;
        }

        var practice = Engine.Practice();
        var processor = new EventProcessor();
        processor.Reset(practice, Engine.Today);
        var result = processor.Process(0, document.RootElement, null, Dental);
        outcomes[(int)result.Disposition]++;

        var audit = Encoding.UTF8.GetString(EventAuditFormatter.Format(result, practice, Dental, result.Disposition.ToString(), result.Reason, []));
        using (JsonDocument.Parse(audit, s_strict))
        {
        }

        foreach (var canary in canaries)
        {
            Assert.DoesNotContain(canary, audit, StringComparison.Ordinal);
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object && !JsonText.IsValidUnicode(json))
        {
            Assert.Equal(EventReasons.InvalidText, result.Reason);
        }

        if (result.Disposition != EventDisposition.Forward)
        {
            Assert.Contains(result.Reason, s_reasons);
            Assert.NotEqual(EventReasons.Unprocessable, result.Reason);
            Assert.Equal(0, processor.Written.Length);
            return;
        }

        Assert.Null(result.Reason);
        Assert.Equal(result.Output.Length, processor.Written.Length);
        var output = processor.OutputOf(result).ToArray();
        using var forwarded = JsonDocument.Parse(output, s_strict);
        var root = forwarded.RootElement;
        var type = root.GetProperty("type").GetString();
        Assert.Contains(type, SegmentEnvelope.Types);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("messageId").GetString()));
        if (type == "track")
        {
            Assert.Equal(JsonValueKind.String, root.GetProperty("event").ValueKind);
        }

        var text = Encoding.UTF8.GetString(output);
        foreach (var canary in canaries)
        {
            Assert.DoesNotContain(canary, text, StringComparison.Ordinal);
        }
    }
}
