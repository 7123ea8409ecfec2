using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Testing;

namespace Gateway.Benchmarks;

/// <summary>
/// A fixed corpus of realistic events for one shipped vertical: every forwarded fixture input as shipped
/// (about 1-1.6 KB), a lean variant without SDK page/campaign/device context (about 0.5-0.8 KB), and a
/// variant whose free-text field carries long notes (about 2 KB). Deterministic: no randomness, same
/// bytes on every run.
/// </summary>
internal sealed class EventCorpus
{
    /// <summary>Events per vertical: benchmarks process the whole corpus per invocation and report per event.</summary>
    public const int Size = 36;

    /// <summary>Events in <see cref="Typical"/>.</summary>
    public const int TypicalSize = 12;

    private const string LongNotes =
        "Patient reports intermittent pain on the lower left side for three weeks, worse with cold drinks. " +
        "Previous visit at another office in 2023; crown on #19 may be failing. Prefers morning slots because of work, " +
        "can be reached at 617-555-0199 after 5pm or by email at j.doe.family@example.org. Insurance card ends 4471. " +
        "Spouse Michael Doe will drive; please call him at (617) 555-0142 if she is unavailable. Mentions anxiety " +
        "about needles and asks whether sedation is available, and whether the office accepts payment plans. " +
        "Referred by Dr. Alvarez. Would like the appointment before 12/15/2026 if possible, otherwise January.";

    private EventCorpus(string vertical, CompiledPolicy policy, PracticeContext practice, DateOnly today, IReadOnlyList<byte[]> events, IReadOnlyList<byte[]> typical)
    {
        Typical = typical;
        Vertical = vertical;
        Policy = policy;
        Practice = practice;
        Today = today;
        Events = events;
    }

    public string Vertical { get; }

    public CompiledPolicy Policy { get; }

    public PracticeContext Practice { get; }

    public DateOnly Today { get; }

    /// <summary>The events' UTF-8 JSON, <see cref="Size"/> of them.</summary>
    public IReadOnlyList<byte[]> Events { get; }

    /// <summary>
    /// The "typical 1 KB event" of the target: shipped fixture events of 0.9-1.4 KB with SDK context but no free-text
    /// note (campaign fields still go through free-text detection, as in every full event), <see cref="TypicalSize"/> of them.
    /// </summary>
    public IReadOnlyList<byte[]> Typical { get; }

    public double MeanBytes => Events.Average(e => e.Length);

    public double TypicalMeanBytes => Typical.Average(e => e.Length);

    /// <summary>The shipped verticals (policy folder names).</summary>
    public static IReadOnlyList<string> Verticals { get; } = ["dental", "healthcare", "digital-health"];

    public static EventCorpus Load(string vertical)
    {
        var policy = new PolicyLoader().LoadOrThrow(RepoPaths.Policy(vertical));
        var fixtures = PolicyFixture.LoadFolder(policy.Directory)
            .Where(f => f.ExpectedDisposition == "forward" && f.Endpoint is null)
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ToList();
        var variants = new List<byte[]>();
        var typical = new List<byte[]>();
        foreach (var fixture in fixtures)
        {
            var input = JsonNode.Parse(fixture.Input.GetRawText())!.AsObject();
            variants.Add(Bytes(input));
            if (variants[^1].Length is >= 900 and <= 1400 && WithLongNotes(input) is null)
            {
                typical.Add(variants[^1]);
            }

            variants.Add(Bytes(Lean(input)));
            if (WithLongNotes(input) is { } notes)
            {
                variants.Add(Bytes(notes));
            }
        }

        var events = Enumerable.Range(0, Size).Select(i => variants[i * variants.Count / Size]).ToList();
        var today = fixtures[0].Today;
        var typicalEvents = Enumerable.Range(0, TypicalSize).Select(i => typical[i * typical.Count / TypicalSize]).ToList();
        return new EventCorpus(vertical, policy, FixturePractice.Create(policy.Name, fixtures[0].ServiceArea), today, events, typicalEvents);
    }

    private static JsonObject Lean(JsonObject input)
    {
        var lean = input.DeepClone().AsObject();
        if (lean["context"] is JsonObject context)
        {
            context.Remove("page");
            context.Remove("campaign");
            context.Remove("device");
            context.Remove("traits");
        }

        lean.Remove("anonymousId");
        lean["messageId"] = "lean-" + (string?)input["messageId"];
        return lean;
    }

    private static JsonObject? WithLongNotes(JsonObject input)
    {
        if (input["properties"] is not JsonObject properties)
        {
            return null;
        }

        var field = properties.ContainsKey("notes") ? "notes" : properties.ContainsKey("message") ? "message" : null;
        if (field is null)
        {
            return null;
        }

        var noted = input.DeepClone().AsObject();
        noted["properties"]![field] = LongNotes;
        noted["messageId"] = "notes-" + (string?)input["messageId"];
        return noted;
    }

    /// <summary>Written as browsers' <c>JSON.stringify</c> does: <c>&amp;</c>, <c>+</c> and non-ASCII letters unescaped.</summary>
    private static byte[] Bytes(JsonNode node) =>
        Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}
