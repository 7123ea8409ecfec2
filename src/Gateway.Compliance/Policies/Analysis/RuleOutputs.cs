using System.Globalization;
using Gateway.Compliance.Generalization;
using Newtonsoft.Json.Linq;

namespace Gateway.Compliance.Policies.Analysis;

/// <summary>
/// What one field rule writes into the forwarded event, from its action, method and options: <c>keep</c> forwards
/// what the schema allows (or the rule's <c>values</c>, a named set or an inline list; a <c>guard</c>ed keep is an
/// open string), <c>generalize</c> writes its method's labels (band and age-band labels are enumerable), pseudonyms,
/// tokens and redacted text are open strings, and <c>drop</c> writes nothing.
/// </summary>
internal static class RuleOutputs
{
    /// <param name="schema">What the schema allows at the path (asked only for <c>keep</c>).</param>
    /// <param name="valueSets">The policy's named value sets (<c>values:</c>), by name.</param>
    public static ForwardedValue? Of(
        string action, string? method, JObject? options, Func<ForwardedValue> schema, IReadOnlyDictionary<string, IReadOnlyList<string>> valueSets)
    {
        switch (action)
        {
            case "drop":
                return null;
            case "keep":
                return Keep(options, schema, valueSets);
            case "hmac":
                return ForwardedValue.Open(ValueKinds.String, "hmac (a pseudonym)");
            case "tokenize":
                return ForwardedValue.Open(ValueKinds.String, "tokenize (a token)");
            case "redact-text":
                return ForwardedValue.Open(ValueKinds.String, "redact-text (free text)");
            case "generalize":
                return Generalize(method, options);
            default:
                return ForwardedValue.Open(ValueKinds.Any, action);
        }
    }

    private static ForwardedValue Keep(JObject? options, Func<ForwardedValue> schema, IReadOnlyDictionary<string, IReadOnlyList<string>> valueSets)
    {
        switch (options?["values"])
        {
            case JValue { Type: JTokenType.String } name:
                var set = (string)name!;
                return valueSets.TryGetValue(set, out var named)
                    ? ForwardedValue.OneOf(named, ValueKinds.String, $"keep, values '{set}'")
                    : ForwardedValue.Open(ValueKinds.String, $"keep, values '{set}' (not declared)");
            case JArray inline:
                return ForwardedValue.OneOf(inline.Select(v => ForwardedValue.TextOf(((JValue)v).Value)).OfType<string>(), ValueKinds.String, "keep, inline values");
        }

        if (options?["guard"] is { } guard)
        {
            return ForwardedValue.Open(ValueKinds.String, $"keep, guard {guard.ToString(Newtonsoft.Json.Formatting.None)}");
        }

        var shape = schema();
        return shape with { Origin = "keep, " + shape.Origin };
    }

    private static ForwardedValue Generalize(string? method, JObject? options)
    {
        switch (method)
        {
            case "band":
                var bounds = Numbers(options?["bounds"]);
                return bounds.Count == 0
                    ? ForwardedValue.Open(ValueKinds.String, "generalize: band")
                    : ForwardedValue.OneOf(NumberBands.Labels(bounds), ValueKinds.String, $"generalize: band, bounds [{string.Join(", ", bounds.Select(Format))}]");
            case "age-band":
                var bands = Numbers(options?["bands"]);
                var lower = bands.Count > 0 ? bands.Select(b => (int)b).ToArray() : AgeBands.DefaultLowerBounds;
                return ForwardedValue.OneOf(AgeBands.Labels(lower), ValueKinds.String, "generalize: age-band");
            case "year":
                return ForwardedValue.Open(ValueKinds.Number, "generalize: year");
            case "zip3":
                return ForwardedValue.Open(ValueKinds.String, "generalize: zip3 (a 3-digit ZIP prefix)");
            default:
                return ForwardedValue.Open(ValueKinds.String, $"generalize: {method}");
        }
    }

    private static List<double> Numbers(JToken? token) =>
        token is JArray array ? [.. array.Where(t => t.Type is JTokenType.Integer or JTokenType.Float).Select(t => (double)t)] : [];

    private static string Format(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
