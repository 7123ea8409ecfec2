using System.Text.Json;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Processing;
using Gateway.Server.Policies;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>
/// The policies in force with their SHA-256; a diff between two versions this gateway has had in force (what
/// <c>gatewayctl policy diff</c> shows); and <c>explain</c> for a pasted sample event, processed in memory
/// with a fixture practice's keys, never stored, forwarded or audited, and not shown back with its values.
/// </summary>
internal sealed class PoliciesModel(PolicyProvider policies, PolicyVersionHistory history, TimeProvider time) : ConsolePage
{
    /// <summary>The largest sample event accepted (the ingest limit for one event).</summary>
    public const int MaxSampleBytes = 32 * 1024;

    [BindProperty(SupportsGet = true)]
    public string? Vertical { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public IReadOnlyList<CompiledPolicy> InForce { get; private set; } = [];

    public IReadOnlyList<PolicyVersion> Versions { get; private set; } = [];

    public PolicyDiffResult? Diff { get; private set; }

    public EventExplanation? Explanation { get; private set; }

    public void OnGet()
    {
        Load();
        if (Before is not null && After is not null)
        {
            var before = Versions.FirstOrDefault(v => v.Policy.Sha256 == Before)?.Policy;
            var after = Versions.FirstOrDefault(v => v.Policy.Sha256 == After)?.Policy;
            if (before is null || after is null)
            {
                Error = "Choose two versions this gateway has had in force.";
            }
            else
            {
                Diff = PolicyDiff.Compare(before, after);
            }
        }
    }

    public IActionResult OnPostExplain([FromForm] string? sample, [FromForm] string? endpoint)
    {
        Load();
        if (!policies.Current.TryGet(Vertical ?? string.Empty, out var policy))
        {
            Error = "Choose a vertical.";
            return Page();
        }

        if (string.IsNullOrWhiteSpace(sample) || System.Text.Encoding.UTF8.GetByteCount(sample) > MaxSampleBytes)
        {
            Error = $"Paste one Segment event as JSON (at most {MaxSampleBytes / 1024} KB).";
            return Page();
        }

        try
        {
            using var document = JsonDocument.Parse(sample, new JsonDocumentOptions { MaxDepth = 64 });
            var evt = document.RootElement;
            if (evt.ValueKind == JsonValueKind.Object && evt.TryGetProperty("input", out var input) && evt.TryGetProperty("expect", out _))
            {
                evt = input;
            }

            var endpointType = endpoint is "track" or "identify" or "page" or "screen" or "group" or "alias" ? endpoint : null;
            Explanation = PolicyExplainer.Explain(policy, evt, FixturePractice.Create(policy.Name), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), endpointType, showValues: false);
        }
        catch (JsonException ex)
        {
            // The position only: the message of a JSON error can quote the text.
            Error = $"The sample is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).";
        }

        return Page();
    }

    private void Load()
    {
        InForce = [.. policies.Current.All];
        Vertical ??= InForce.FirstOrDefault()?.Name;
        Versions = Vertical is null ? [] : history.Of(Vertical);
    }
}
