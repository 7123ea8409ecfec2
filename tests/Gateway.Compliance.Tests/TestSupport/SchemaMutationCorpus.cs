using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Policies;

namespace Gateway.Compliance.Tests.TestSupport;

/// <summary>
/// Generates schema edge cases from a policy's fixtures, per event type: the fixture events themselves and
/// seeded mutations of them (wrong types, missing and extra properties, out-of-range numbers, long strings,
/// date-like and badly formatted strings, nested junk, deep nesting, unicode, escaped and duplicate names).
/// Deterministic for a seed.
/// </summary>
internal static class SchemaMutationCorpus
{
    private static readonly Func<Random, JsonNode?>[] s_replacements =
    [
        _ => 42, _ => -1, _ => 0, _ => 1, _ => 5, _ => 6, _ => 600, _ => 601, _ => 1440, _ => 1441, _ => 1.5, _ => -0.5,
        _ => 600.0000001, _ => 599.9999999999999999, _ => 1e308, _ => 5.0,
        _ => JsonNode.Parse("123456789012345678901234567890"), _ => JsonNode.Parse("-99999999999999999999"), _ => JsonNode.Parse("1E400"),
        _ => true, _ => false, _ => null, _ => "", _ => "x", _ => "implants", _ => "track", _ => "identify", _ => "morning",
        _ => "bad slug!", _ => "-starts-with-dash", _ => new string('a', 64), _ => new string('a', 65),
        r => new string('z', r.Next(150, 320)), r => new string('n', r.Next(3900, 8200)),
        _ => "2026-11-22T09:59:58.000Z", _ => "2026-11-22T10:00:00+05:30", _ => "2026-13-45T99:99:99Z", _ => "2026-11-22",
        _ => "2026-11-22 10:00:00", _ => "/Date(1234567890)/", _ => "not-a-date", _ => "2026-11-22T10:00:00.123456789Z",
        _ => "2026-02-30T10:00:00Z", _ => "1999-12-31T23:59:59", _ => "2026-11-22Textra-text-that-is-long",
        _ => "Zoë 😀 名前 \u00e9\u0301", _ => "\"quoted\" \\ back\\slash \n newline", _ => "😀😀😀😀😀😀😀😀😀😀",
        _ => new JsonObject(), _ => new JsonArray(), _ => new JsonArray(1, "two", null, new JsonObject { ["three"] = 3 }),
        _ => new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonArray(1, new JsonObject { ["c"] = null }) } },
        _ => Deep(58), _ => Deep(20), _ => new JsonObject { ["n"] = JsonNode.Parse("18446744073709551616") },
    ];

    private static readonly string[] s_extraNames = ["extra", "ssn", "favorite_color", "Notes", "type", "zip", "名前", "a.b", "with space", ""];

    /// <summary>The fixture inputs whose type (and event name) select <paramref name="eventType"/>, else a stand-in.</summary>
    public static IReadOnlyList<JsonObject> BaseEvents(CompiledPolicy policy, CompiledEventType eventType)
    {
        var inputs = Gateway.Tests.Shared.HostileJson.FixtureInputs(policy.Directory);
        var matching = inputs.Where(i => (string?)i["type"] == eventType.Type && (eventType.EventName is null || (string?)i["event"] == eventType.EventName)).ToList();
        if (matching.Count > 0)
        {
            return matching;
        }

        // No fixture for this type: a track fixture renamed, which exercises required properties and enums.
        var standIn = inputs.First(i => (string?)i["type"] == "track").DeepClone().AsObject();
        standIn["type"] = eventType.Type;
        if (eventType.EventName is { } name)
        {
            standIn["event"] = name;
        }
        else
        {
            standIn.Remove("event");
        }

        return [standIn];
    }

    /// <summary><paramref name="count"/> events for <paramref name="eventType"/> as JSON text: the bases first, then mutations.</summary>
    public static IEnumerable<string> Generate(CompiledPolicy policy, CompiledEventType eventType, int count, int seed)
    {
        var random = new Random(seed);
        var bases = BaseEvents(policy, eventType);
        foreach (var b in bases)
        {
            yield return b.ToJsonString();
        }

        for (var i = bases.Count; i < count; i++)
        {
            var evt = bases[random.Next(bases.Count)].DeepClone().AsObject();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(evt, random);
            }

            var text = evt.ToJsonString();
            yield return random.Next(12) switch
            {
                0 => DuplicateName(text, random),
                1 => EscapeName(text),
                _ => text,
            };
        }
    }

    private static void Mutate(JsonObject evt, Random random)
    {
        var containers = new List<JsonNode>();
        Collect(evt, containers);
        var target = containers[random.Next(containers.Count)];
        switch (target)
        {
            case JsonObject obj when obj.Count > 0 && random.Next(4) != 0:
                var key = obj.ElementAt(random.Next(obj.Count)).Key;
                switch (random.Next(5))
                {
                    case 0:
                        obj.Remove(key);
                        break;
                    case 1:
                        obj[s_extraNames[random.Next(s_extraNames.Length)]] = Replacement(random);
                        break;
                    default:
                        obj[key] = Replacement(random);
                        break;
                }

                break;
            case JsonObject obj:
                obj[s_extraNames[random.Next(s_extraNames.Length)] + random.Next(3)] = Replacement(random);
                break;
            case JsonArray array when array.Count > 0:
                array[random.Next(array.Count)] = Replacement(random);
                break;
            case JsonArray array:
                array.Add(Replacement(random));
                break;
        }
    }

    private static JsonNode? Replacement(Random random) => s_replacements[random.Next(s_replacements.Length)](random);

    private static void Collect(JsonNode node, List<JsonNode> containers)
    {
        containers.Add(node);
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is JsonObject or JsonArray)
            {
                Collect(child, containers);
            }
        }
    }

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonObject { ["leaf"] = 1 };
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["d"] = node };
        }

        return node;
    }

    /// <summary>Repeats the first property of the event (JsonDocument keeps both; Newtonsoft refuses them).</summary>
    private static string DuplicateName(string json, Random random)
    {
        var end = json.IndexOf(',', StringComparison.Ordinal);
        return end < 0 ? json : json[..(end + 1)] + json[1..(end + 1)] + json[(end + 1)..];
    }

    /// <summary>Writes the first property name with a \u escape (same name once unescaped).</summary>
    private static string EscapeName(string json)
    {
        if (json.Length < 3 || json[1] != '"' || !char.IsAsciiLetter(json[2]))
        {
            return json;
        }

        var escaped = new StringBuilder(json.Length + 5).Append("{\"").Append($"\\u{(int)json[2]:x4}").Append(json, 3, json.Length - 3);
        return escaped.ToString();
    }
}
