using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Compliance.Fixtures;

/// <summary>The outcome of one fixture: passed, or the differences (JSON paths, expected, actual).</summary>
public sealed record FixtureResult(PolicyFixture Fixture, IReadOnlyList<string> Differences, JsonNode? ActualOutput, JsonObject? ActualAudit)
{
    public bool Passed => Differences.Count == 0;
}

/// <summary>Runs a policy's fixtures through the engine exactly as the gateway would, without forwarding anything.</summary>
public static partial class FixtureRunner
{
    public static IReadOnlyList<FixtureResult> RunFolder(CompiledPolicy policy) =>
        [.. PolicyFixture.LoadFolder(policy.Directory).Select(f => Run(policy, f))];

    public static FixtureResult Run(CompiledPolicy policy, PolicyFixture fixture)
    {
        var practice = FixturePractice.Create(policy.Name, fixture.ServiceArea);
        var processor = new EventProcessor();
        processor.Reset(practice, fixture.Today);
        var result = processor.Process(0, fixture.Input, fixture.Endpoint, policy);
        var differences = new List<string>();

        var disposition = result.Disposition.ToString().ToLowerInvariant();
        if (disposition != fixture.ExpectedDisposition)
        {
            differences.Add($"disposition: expected {fixture.ExpectedDisposition}, got {disposition}");
        }

        if (fixture.ExpectedReason != result.Reason)
        {
            differences.Add($"reason: expected {fixture.ExpectedReason ?? "none"}, got {result.Reason ?? "none"}");
        }

        JsonNode? actualOutput = null;
        if (result.Disposition == EventDisposition.Forward)
        {
            actualOutput = JsonNode.Parse(processor.OutputOf(result));
        }

        if (fixture.ExpectedOutput is not null || actualOutput is not null)
        {
            var expected = fixture.ExpectedOutput is null ? null : Substitute(fixture.ExpectedOutput.DeepClone(), practice.Keys.Active);
            Compare("output", expected, actualOutput, differences);
        }

        var outcome = result.Disposition switch
        {
            EventDisposition.Forward => "forward",
            EventDisposition.Dropped => "dropped",
            _ => "rejected",
        };
        var auditBytes = EventAuditFormatter.Format(result, practice, policy, outcome, result.Reason,
            result.Disposition == EventDisposition.Forward
                ? [.. result.EventType!.Destinations.Select(d => DestinationDecision.Unconditional(d.Name))]
                : []);
        var actualAudit = JsonNode.Parse(auditBytes)!.AsObject();
        if (fixture.ExpectedAudit is not null)
        {
            foreach (var (name, expected) in fixture.ExpectedAudit)
            {
                actualAudit.TryGetPropertyValue(name, out var actual);
                Compare("audit." + name, expected, actual, differences);
            }
        }

        return new FixtureResult(fixture, differences, actualOutput, actualAudit);
    }

    /// <summary>Replaces <c>{{hmac:value}}</c> placeholders with the fixture practice's pseudonyms.</summary>
    public static JsonNode? Substitute(JsonNode? node, PseudonymKey key)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[name];
                    if (Substitute(child, key) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        obj[name] = replaced;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    if (Substitute(item, key) is var replaced && !ReferenceEquals(replaced, item))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && Placeholder().Match(text) is { Success: true } match:
                var normalization = match.Groups["kind"].Value switch
                {
                    "hmac-email" => IdentifierNormalization.Email,
                    "hmac-phone" => IdentifierNormalization.Phone,
                    _ => IdentifierNormalization.Exact,
                };
                return JsonValue.Create(Pseudonymizer.Pseudonymize(key, match.Groups["value"].Value, normalization));
            default:
                return node;
        }
    }

    private static void Compare(string path, JsonNode? expected, JsonNode? actual, List<string> differences)
    {
        if (expected is JsonObject eo && actual is JsonObject ao)
        {
            foreach (var name in eo.Select(p => p.Key).Union(ao.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                var inExpected = eo.TryGetPropertyValue(name, out var ev);
                var inActual = ao.TryGetPropertyValue(name, out var av);
                if (!inExpected)
                {
                    differences.Add($"{path}.{name}: not expected, got {Show(av)}");
                }
                else if (!inActual)
                {
                    differences.Add($"{path}.{name}: expected {Show(ev)}, missing");
                }
                else
                {
                    Compare($"{path}.{name}", ev, av, differences);
                }
            }

            return;
        }

        if (expected is JsonArray ea && actual is JsonArray aa && ea.Count == aa.Count)
        {
            for (var i = 0; i < ea.Count; i++)
            {
                Compare($"{path}[{i}]", ea[i], aa[i], differences);
            }

            return;
        }

        if (!JsonNode.DeepEquals(expected, actual))
        {
            differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";

    [GeneratedRegex(@"^\{\{(?<kind>hmac|hmac-email|hmac-phone):(?<value>.*)\}\}$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Placeholder();
}
