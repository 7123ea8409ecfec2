using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Compliance.Fixtures;

/// <summary>
/// One fixture of a policy folder (<c>fixtures/*.fixture.json</c>): an input event and what the policy
/// must make of it: disposition, reason, the forwarded output, and the audit's field actions.
/// Expected strings of the form <c>{{hmac:value}}</c> (or <c>hmac-email</c>, <c>hmac-phone</c>) stand for
/// the fixture practice's pseudonym of <c>value</c>.
/// </summary>
public sealed record PolicyFixture
{
    public required string File { get; init; }

    public string? Description { get; init; }

    /// <summary>The date age bands are computed against.</summary>
    public DateOnly Today { get; init; } = new(2026, 11, 22);

    /// <summary>The fixture practice's service area (ZIP3 or ZIP5).</summary>
    public IReadOnlyList<string> ServiceArea { get; init; } = [];

    /// <summary>The single-event endpoint's type (<c>track</c>, ...), or null for a batch item.</summary>
    public string? Endpoint { get; init; }

    public required JsonElement Input { get; init; }

    public required string ExpectedDisposition { get; init; }

    public string? ExpectedReason { get; init; }

    public JsonNode? ExpectedOutput { get; init; }

    /// <summary>Audit members to compare (e.g. <c>fields</c>, <c>unmapped</c>, <c>detected</c>, <c>derived</c>, <c>violations</c>).</summary>
    public JsonObject? ExpectedAudit { get; init; }

    public static IReadOnlyList<PolicyFixture> LoadFolder(string policyDirectory)
    {
        var folder = Path.Combine(policyDirectory, "fixtures");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(folder, "*.fixture.json").Order(StringComparer.Ordinal).Select(Load)];
    }

    public static PolicyFixture Load(string path)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = false });
        var root = document.RootElement;
        var expect = root.GetProperty("expect");
        return new PolicyFixture
        {
            File = path,
            Description = root.TryGetProperty("description", out var d) ? d.GetString() : null,
            Today = root.TryGetProperty("today", out var t) ? DateOnly.Parse(t.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : new DateOnly(2026, 11, 22),
            ServiceArea = root.TryGetProperty("serviceArea", out var s) ? [.. s.EnumerateArray().Select(e => e.GetString()!)] : [],
            Endpoint = root.TryGetProperty("endpoint", out var ep) ? ep.GetString() : null,
            Input = root.GetProperty("input").Clone(),
            ExpectedDisposition = expect.GetProperty("disposition").GetString()!,
            ExpectedReason = expect.TryGetProperty("reason", out var r) ? r.GetString() : null,
            ExpectedOutput = expect.TryGetProperty("output", out var o) ? JsonNode.Parse(o.GetRawText()) : null,
            ExpectedAudit = expect.TryGetProperty("audit", out var a) ? JsonNode.Parse(a.GetRawText())!.AsObject() : null,
        };
    }
}
