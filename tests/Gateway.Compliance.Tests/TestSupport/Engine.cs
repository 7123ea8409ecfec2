using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Compliance.Tests.TestSupport;

/// <summary>Runs one event through the real engine and returns the forwarded JSON and the audit body.</summary>
internal static class Engine
{
    public static readonly DateOnly Today = new(2026, 11, 22);

    public static PracticeContext Practice(string id = "p1", string keyId = "k1", byte seed = 1, IEnumerable<string>? serviceArea = null) =>
        new(id, "testing", new PseudonymKeyRing(new PseudonymKey(keyId, Enumerable.Repeat(seed, 32).ToArray(), id)), serviceArea);

    public static (EventResult Result, JsonObject? Output, JsonObject Audit) Run(
        CompiledPolicy policy, string json, PracticeContext? practice = null, string? endpoint = null, DataClasses allowed = (DataClasses)~0)
    {
        practice ??= Practice();
        using var document = JsonDocument.Parse(json);
        var processor = new EventProcessor();
        processor.Reset(practice, Today);
        var result = processor.Process(0, document.RootElement, endpoint, policy, allowed);
        var output = result.Disposition == EventDisposition.Forward ? JsonNode.Parse(processor.OutputOf(result))!.AsObject() : null;
        var audit = EventAuditFormatter.Format(result, practice, policy, result.Disposition.ToString().ToLowerInvariant(), result.Reason, []);
        return (result, output, JsonNode.Parse(audit)!.AsObject());
    }

    public static string Pseudonym(string value, PracticeContext? practice = null, IdentifierNormalization normalization = IdentifierNormalization.Exact) =>
        Pseudonymizer.Pseudonymize((practice ?? Practice()).Keys.Active, value, normalization);
}
