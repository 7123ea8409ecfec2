using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Gateway.Tests.Shared;

/// <summary>
/// FsCheck generators of hostile Segment events, shared by the engine and the HTTP property tests: realistic
/// events (a policy's fixture inputs) mutated field by field, and arbitrary JSON trees. Values include
/// invalid Unicode (escaped lone surrogates), numbers no parser agrees on, deep nesting and odd names.
/// Unique canary strings are planted only where the policy never forwards a value (unknown fields, fields
/// it drops or pseudonymizes), so any canary seen downstream is a leak.
/// </summary>
internal static class HostileJson
{
    /// <summary>Canaries start with this; nothing else the tests send or the gateway writes does.</summary>
    public const string CanaryPrefix = "cnry";

    // Lone surrogates cannot live in a .NET string that System.Text.Json will write, so generated trees hold
    // placeholders that become escapes in the serialized text.
    private static readonly string[] s_loneSurrogates = [@"\ud800", @"\udbff", @"\udc00", @"\udfff"];

    private static readonly JsonSerializerOptions s_escapeAll = new() { Encoder = JavaScriptEncoder.Default };

    private static readonly JsonSerializerOptions s_rawUtf8 = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] s_segmentTypes = ["track", "identify", "page", "screen", "group", "alias"];

    /// <summary>Names a policy cares about, and names built to confuse path matching.</summary>
    private static readonly string[] s_names =
    [
        "type", "event", "userId", "anonymousId", "messageId", "previousId", "timestamp", "properties", "context", "traits",
        "integrations", "writeKey", "batch", "service_line", "email", "phone", "notes", "zip", "url", "path", "referrer",
        "consent", "categoryPreferences", "Analytics", "ip", "library", "name", "location_id", "months_since_last_visit",
        "", " ", ".", "a.b", "properties.service_line", "context.ip", "*", "[0]", "__proto__", "constructor", "$ref", "#/x",
        "Service_Line", "service_line ", "\u0000", "\u2028", "é", "😀", "~~lone0~~", "x~~lone3~~", new string('n', 300),
    ];

    private static readonly string[] s_texts =
    [
        "", " ", "implants", "hygiene", "Service Page Viewed", "Appointment Requested", "Recall Responded", "scheduled",
        "track", "identify", "page", "TRACK", "2026-11-20T10:00:00Z", "2026-13-45", "1938-02-17", "02141", "021",
        "https://clinic.example/patients/123?email=a%40b.co#x", "javascript:alert(1)", "//evil.example", "a@b.co",
        "(617) 555-0101", "null", "true", "0", "1e400", "\\u0000", "%00", "\u0000", "\u001f", "\u007f", "\u2028", "\ufeff",
        "\ufffe", "\uffff", "\u202e", "e\u0301", "😀", "中文", "\"quoted\"", "back\\slash", "</script>",
    ];

    private static readonly string[] s_numbers =
    [
        "0", "-0", "1", "-1", "0.5", "14", "600", "601", "1e400", "-1e400", "1e-400", "1E+2", "5e-324", "1.7976931348623157e308",
        "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "123456789012345678901234567890.5", "100000000000000000000000000000", new string('9', 60), new string('9', 300),
    ];

    private static readonly string[] s_chunks =
    [
        "a", "Z", "0", " ", "-", "_", "@", ".", "/", "é", "ß", "中", "😀", "\u0000", "\u0008", "\u001f", "\u007f", "\u00a0",
        "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\u202e", "\u0301", "\\", "\"", "<", "'", "\t", "\n", "\r",
        "~~lone0~~", "~~lone1~~", "~~lone2~~", "~~lone3~~",
    ];

    /// <summary>A mutation applied to an event: what, where (an index taken modulo the candidates) and with what.</summary>
    public enum MutationKind
    {
        Drop,
        Duplicate,
        Retype,
        Rename,
        Nest,
        HugeNumber,
        InvalidText,
    }

    public sealed record Mutation(MutationKind Kind, int Pick, string RawValue, string Name);

    /// <summary>Where a canary goes: a new field (its name is a canary too), or a path the policy never forwards.</summary>
    public sealed record CanaryPlant(bool AtNeverKeptPath, int Pick, string Value);

    /// <summary>A generated event as JSON text, and the canaries planted in it.</summary>
    public sealed record Case(string Json, IReadOnlyList<string> Canaries, string Description)
    {
        public override string ToString() => Description + " | " + (Json.Length > 1500 ? Json[..1500] + "..." : Json);
    }

    public static IReadOnlyList<JsonObject> FixtureInputs(string policyFolder) =>
        [.. Directory.EnumerateFiles(Path.Combine(policyFolder, "fixtures"), "*.fixture.json").Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["input"]!.AsObject())];

    /// <summary>Turns a generated tree into the text a client would send (placeholders become lone-surrogate escapes).</summary>
    public static string Serialize(JsonNode? node, bool rawUtf8 = false)
    {
        var text = node?.ToJsonString(rawUtf8 ? s_rawUtf8 : s_escapeAll) ?? "null";
        for (var i = 0; i < s_loneSurrogates.Length; i++)
        {
            text = text.Replace($"~~lone{i}~~", s_loneSurrogates[i], StringComparison.Ordinal);
        }

        return text;
    }

    public static Gen<string> Canary =>
        Gen.Choose(0, int.MaxValue).Select(n => CanaryPrefix + n.ToString("x8", CultureInfo.InvariantCulture));

    public static Gen<string> Name => Gen.Frequency(
        (4, Gen.Elements(s_names)),
        (1, Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz_".ToCharArray()), n)).Select(c => new string(c))));

    public static Gen<string> Text => Gen.Frequency(
        (5, Gen.Elements(s_texts)),
        (3, Gen.ListOf(Gen.Elements(s_chunks)).Select(string.Concat)),
        (1, Gen.Choose(200, 9000).Select(n => new string('x', n))),
        (1, Gen.Choose(1, 400).Select(n => string.Concat(Enumerable.Repeat("1-2 ", n)))));

    /// <summary>Raw JSON number literals, from ordinary to beyond double and Int64.</summary>
    public static Gen<string> Number => Gen.Elements(s_numbers);

    /// <summary>Any JSON value as raw text, at most <paramref name="depth"/> containers deep.</summary>
    public static Gen<string> RawValue(int depth) => Value(depth).Select(v => v?.ToJsonString(s_rawUtf8) ?? "null");

    public static Gen<JsonNode?> Value(int depth)
    {
        var leaf = Gen.Frequency(
            (4, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
            (2, Number.Select(n => JsonNode.Parse(n))),
            (1, Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b))),
            (1, Gen.Constant(0).Select(_ => (JsonNode?)null)));
        if (depth <= 0)
        {
            return leaf;
        }

        var child = Value(depth - 1);
        var obj = Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(Gen.Zip(Name, child), n)).Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (name, value) in pairs)
            {
                o[name] = value;
            }

            return (JsonNode?)o;
        });
        var arr = Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(child, n)).Select(items => (JsonNode?)new JsonArray([.. items]));
        return Gen.Frequency((5, leaf), (1, obj), (1, arr));
    }

    /// <summary>An arbitrary JSON document, usually an object with some Segment envelope fields.</summary>
    public static Gen<Case> ArbitraryEvent =>
        from depth in Gen.Choose(0, 4)
        from shape in Gen.Choose(0, 9)
        from type in Gen.Frequency((4, Gen.Elements(s_segmentTypes)), (1, Text))
        from eventName in Gen.Frequency((3, Gen.Elements("Service Page Viewed", "Appointment Requested", "Recall Responded", "SMS Reply Received")), (1, Text))
        from userId in Gen.Frequency((3, Text.Select(t => (JsonNode?)JsonValue.Create(t))), (1, Number.Select(n => JsonNode.Parse(n))), (1, Value(1)))
        from extra in Gen.Choose(0, 6).SelectMany(n => Gen.ListOf(Gen.Zip(Name, Value(depth)), n))
        from rawUtf8 in Gen.Elements(true, false)
        select BuildArbitrary(shape, type, eventName, userId, extra, rawUtf8);

    private static Case BuildArbitrary(int shape, string type, string eventName, JsonNode? userId, IEnumerable<(string, JsonNode?)> extra, bool rawUtf8)
    {
        if (shape == 0)
        {
            // Not an object at all.
            var root = extra.Select(e => e.Item2).FirstOrDefault();
            return new Case(Serialize(root, rawUtf8), [], "non-object");
        }

        var o = new JsonObject();
        if (shape >= 2)
        {
            o["type"] = type;
        }

        if (shape >= 3)
        {
            o["event"] = eventName;
        }

        if (shape >= 4)
        {
            o["userId"] = userId;
        }

        foreach (var (name, value) in extra)
        {
            o[name] = value;
        }

        return new Case(Serialize(o, rawUtf8), [], "arbitrary");
    }

    public static Gen<Mutation> MutationGen =>
        from kind in Gen.Elements(Enum.GetValues<MutationKind>())
        from pick in Gen.Choose(0, 10_000)
        from raw in kind switch
        {
            MutationKind.HugeNumber => Number,
            MutationKind.InvalidText => Gen.Elements("\"~~lone0~~\"", "\"a~~lone1~~\"", "\"~~lone2~~b\"", "\"~~lone3~~~~lone3~~\"", "\"~~lone0~~😀\""),
            _ => RawValue(2),
        }
        from name in Name
        select new Mutation(kind, pick, raw, name);

    /// <summary>
    /// A fixture event with 0-4 mutations, then 1-3 canaries planted where the policy forwards no value.
    /// <paramref name="neverKept"/>: dotted paths the policy drops or pseudonymizes in every event type.
    /// </summary>
    public static Gen<Case> MutatedEvent(IReadOnlyList<JsonObject> bases, IReadOnlyList<string> neverKept) =>
        from index in Gen.Choose(0, bases.Count - 1)
        from mutations in Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(MutationGen, n))
        from plants in Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(
            from atPath in Gen.Elements(true, false)
            from pick in Gen.Choose(0, 10_000)
            from value in Canary
            select new CanaryPlant(atPath, pick, value), n))
        from rawUtf8 in Gen.Elements(true, false)
        select Mutate(bases[index], mutations, plants, neverKept, rawUtf8);

    public static Case Mutate(JsonObject source, IEnumerable<Mutation> mutations, IEnumerable<CanaryPlant> plants, IReadOnlyList<string> neverKept, bool rawUtf8)
    {
        var root = source.DeepClone().AsObject();
        var applied = new List<string>();
        foreach (var mutation in mutations)
        {
            applied.Add(Apply(root, mutation));
        }

        var canaries = new List<string>();
        foreach (var plant in plants)
        {
            if (plant.AtNeverKeptPath)
            {
                var path = neverKept[plant.Pick % neverKept.Count];
                if (TrySet(root, path, plant.Value))
                {
                    canaries.Add(plant.Value);
                    applied.Add("canary@" + path);
                }
            }
            else
            {
                var objects = Locations(root).Select(l => l.Node).OfType<JsonObject>().Prepend(root).ToList();
                var target = objects[plant.Pick % objects.Count];
                var name = "x_" + plant.Value + "_name";
                target[name] = plant.Value;
                canaries.Add(plant.Value);
                canaries.Add(name);
                applied.Add("canary-field");
            }
        }

        var label = (string?)source["event"] ?? (string?)source["type"];
        return new Case(Serialize(root, rawUtf8), canaries, label + ": " + string.Join(", ", applied));
    }

    private static string Apply(JsonObject root, Mutation mutation)
    {
        var locations = Locations(root);
        if (locations.Count == 0)
        {
            return "none";
        }

        var (parent, key, index, node) = locations[mutation.Pick % locations.Count];
        var where = key ?? "[" + index + "]";
        JsonNode? New() => JsonNode.Parse(mutation.RawValue);
        switch (mutation.Kind)
        {
            case MutationKind.Drop:
                Remove(parent, key, index);
                return "drop " + where;
            case MutationKind.Duplicate:
                if (parent is JsonObject dupObject)
                {
                    dupObject[mutation.Name] = node?.DeepClone();
                }
                else
                {
                    ((JsonArray)parent).Insert(index, node?.DeepClone());
                }

                return "duplicate " + where;
            case MutationKind.Retype:
            case MutationKind.HugeNumber:
            case MutationKind.InvalidText:
                Replace(parent, key, index, New());
                return mutation.Kind.ToString().ToLowerInvariant() + " " + where;
            case MutationKind.Rename:
                if (parent is JsonObject renameObject)
                {
                    renameObject.Remove(key!);
                    renameObject[mutation.Name] = node;
                }

                return "rename " + where;
            case MutationKind.Nest:
                var depth = 1 + (mutation.Pick % 12);
                Replace(parent, key, index, null);
                var wrapped = node;
                for (var i = 0; i < depth; i++)
                {
                    wrapped = i % 2 == 0 ? new JsonArray(wrapped) : new JsonObject { [mutation.Name] = wrapped };
                }

                Replace(parent, key, index, wrapped);
                return "nest " + where;
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
    }

    private static List<(JsonNode Parent, string? Key, int Index, JsonNode? Node)> Locations(JsonNode root)
    {
        var result = new List<(JsonNode, string?, int, JsonNode?)>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject o)
            {
                foreach (var (key, value) in o.ToList())
                {
                    result.Add((o, key, -1, value));
                    if (value is not null)
                    {
                        Walk(value);
                    }
                }
            }
            else if (node is JsonArray a)
            {
                for (var i = 0; i < a.Count; i++)
                {
                    result.Add((a, null, i, a[i]));
                    if (a[i] is { } item)
                    {
                        Walk(item);
                    }
                }
            }
        }

        Walk(root);
        return result;
    }

    private static void Remove(JsonNode parent, string? key, int index)
    {
        if (parent is JsonObject o)
        {
            o.Remove(key!);
        }
        else
        {
            ((JsonArray)parent).RemoveAt(index);
        }
    }

    private static void Replace(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[key!] = value;
        }
        else
        {
            ((JsonArray)parent)[index] = value;
        }
    }

    private static bool TrySet(JsonObject root, string path, string value)
    {
        var segments = path.Split('.');
        JsonObject current = root;
        foreach (var segment in segments[..^1])
        {
            var next = current[segment];
            if (next is null)
            {
                next = new JsonObject();
                current[segment] = next;
            }

            if (next is not JsonObject nextObject)
            {
                return false;
            }

            current = nextObject;
        }

        current[segments[^1]] = value;
        return true;
    }
}
