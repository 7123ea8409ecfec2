using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Fixtures;

namespace Gateway.LoadBench;

/// <summary>
/// Pre-serialized request bodies for one scenario (a single track event, or a batch of N events), built from the
/// input part of the dental policy's fixtures that the policy forwards. Each event's <c>messageId</c> holds a
/// fixed-width slot that <see cref="Next"/> fills with a run-wide counter, so every event sent is distinct while
/// a request costs the driver one copy. Subjects come from a fixed pool and every event carries analytics consent
/// (Segment's <c>context.consent.categoryPreferences</c>), as a site's consent banner sends it.
/// </summary>
internal sealed class PayloadSet
{
    public const int Subjects = 256;
    private const int Templates = 32;
    private const string Slot = "################";
    private static long s_counter;

    private readonly (byte[] Body, int[] Slots)[] _templates;
    private int _next;

    private PayloadSet(string name, string path, int eventsPerRequest, (byte[], int[])[] templates)
    {
        Name = name;
        Path = path;
        EventsPerRequest = eventsPerRequest;
        _templates = templates;
    }

    public string Name { get; }

    /// <summary><c>/v1/track</c> or <c>/v1/batch</c>.</summary>
    public string Path { get; }

    public int EventsPerRequest { get; }

    public double AverageRequestBytes => _templates.Average(t => t.Body.Length);

    public double AverageEventBytes => AverageRequestBytes / EventsPerRequest;

    /// <param name="events">0 for a single event on /v1/track, otherwise the batch size on /v1/batch.</param>
    /// <param name="policy">The policy folder whose fixtures the events come from.</param>
    public static PayloadSet Create(string policy, int events)
    {
        var inputs = LoadInputs(policy);
        var track = inputs.Where(i => (string?)i["type"] == "track").ToArray();
        var templates = new (byte[], int[])[Templates];
        for (var t = 0; t < Templates; t++)
        {
            byte[] body;
            if (events == 0)
            {
                body = Encoding.UTF8.GetBytes(Prepare(track[t % track.Length], t).ToJsonString());
            }
            else
            {
                var batch = new JsonArray();
                for (var j = 0; j < events; j++)
                {
                    var index = (t * events) + j;
                    batch.Add(Prepare(inputs[index % inputs.Length], index));
                }

                body = Encoding.UTF8.GetBytes(new JsonObject { ["batch"] = batch, ["sentAt"] = "2026-11-22T10:00:01.000Z" }.ToJsonString());
            }

            templates[t] = (body, FindSlots(body));
        }

        return events == 0
            ? new PayloadSet("single", "/v1/track", 1, templates)
            : new PayloadSet("batch-" + events, "/v1/batch", events, templates);
    }

    /// <summary>A fresh body with distinct message ids.</summary>
    public byte[] Next()
    {
        var (template, slots) = _templates[(int)((uint)Interlocked.Increment(ref _next) % Templates)];
        var body = (byte[])template.Clone();
        foreach (var slot in slots)
        {
            var id = Interlocked.Increment(ref s_counter);
            for (var i = Slot.Length - 1; i >= 0; i--)
            {
                body[slot + i] = (byte)"0123456789abcdef"[(int)(id & 0xF)];
                id >>= 4;
            }
        }

        return body;
    }

    /// <summary>Fixture inputs of the track and page events the policy forwards, minus the SMS reply (it changes consent).</summary>
    private static JsonObject[] LoadInputs(string policy)
    {
        JsonObject[] inputs =
        [
            .. PolicyFixture.LoadFolder(policy)
                .Where(f => f.ExpectedDisposition == "forward")
                .Select(f => JsonNode.Parse(f.Input.GetRawText())!.AsObject())
                .Where(i => (string?)i["type"] is "track" or "page" && (string?)i["event"] != "SMS Reply Received"),
        ];

        return inputs.Length > 0 ? inputs : throw new InvalidOperationException($"No forwardable track or page fixture in {policy}.");
    }

    private static JsonObject Prepare(JsonObject input, int index)
    {
        var e = input.DeepClone().AsObject();
        var subject = index % Subjects;
        e["messageId"] = "bench-" + Slot;
        e["userId"] = $"bench-user-{subject:D4}";
        e["anonymousId"] = $"bench-anon-{subject:D4}";
        if (e["context"] is not JsonObject context)
        {
            context = [];
            e["context"] = context;
        }

        context["consent"] = new JsonObject { ["categoryPreferences"] = new JsonObject { ["Analytics"] = true } };
        return e;
    }

    private static int[] FindSlots(byte[] body)
    {
        var slots = new List<int>();
        var marker = Encoding.ASCII.GetBytes("bench-" + Slot);
        var offset = 0;
        int at;
        while ((at = body.AsSpan(offset).IndexOf(marker)) >= 0)
        {
            slots.Add(offset + at + "bench-".Length);
            offset += at + marker.Length;
        }

        return [.. slots];
    }

    /// <summary>Checks the bodies are what the scenario says (parsable, N events each).</summary>
    public void Validate()
    {
        foreach (var (body, slots) in _templates)
        {
            using var document = JsonDocument.Parse(body);
            var count = document.RootElement.TryGetProperty("batch", out var batch) ? batch.GetArrayLength() : 1;
            if (count != EventsPerRequest || slots.Length != EventsPerRequest)
            {
                throw new InvalidOperationException($"{Name}: a body holds {count} events and {slots.Length} message id slots, not {EventsPerRequest}.");
            }
        }
    }
}
