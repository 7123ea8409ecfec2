using System.Text.Json;
using Gateway.Compliance.Destinations;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Compliance.Text;

namespace Gateway.LeakBench;

/// <summary>A leak found: what was planted where, and the needle that came out (synthetic values only).</summary>
public sealed record LeakExample(string Policy, string EventType, string Path, FieldKind Field, IdentifierKind Kind, string Rendering, string Placement, string Planted, string Needle, string FoundIn);

/// <summary>Counts for one cell of the table: events forwarded with the identifier planted, and how many leaked it.</summary>
public sealed class LeakCell
{
    public int Forwarded { get; set; }

    public int Leaked { get; set; }

    /// <summary>Events refused whole (schema, unprocessable): nothing forwarded, so nothing leaked.</summary>
    public int Refused { get; set; }
}

/// <summary>Runs generated events through the real engine and scans every forwarded body.</summary>
public sealed class LeakRun
{
    private readonly Dictionary<(IdentifierKind, FieldKind), LeakCell> _cells = [];
    private readonly List<LeakExample> _examples = [];

    public IReadOnlyDictionary<(IdentifierKind Kind, FieldKind Field), LeakCell> Cells => _cells;

    public IReadOnlyList<LeakExample> Examples => _examples;

    public int Events { get; private set; }

    /// <summary>Harmless words written into free text, and how many of them were forwarded.</summary>
    public int HarmlessPlanted { get; private set; }

    public int HarmlessKept { get; private set; }

    public double Utility => HarmlessPlanted == 0 ? double.NaN : (double)HarmlessKept / HarmlessPlanted;

    public int TotalLeaks => _cells.Values.Sum(c => c.Leaked) + AdLeaked;

    /// <summary>Meta conversions built (de-identified mode, as a person with consent but no HIPAA authorization) for forwarded events.</summary>
    public int AdBuilt { get; private set; }

    /// <summary>Of <see cref="AdBuilt"/>, those in which the planted identifier was found.</summary>
    public int AdLeaked { get; private set; }

    /// <summary>Members the ad writers name themselves: keys, never copied from the event.</summary>
    private static readonly HashSet<string> s_adNames = new(StringComparer.Ordinal) { "event_name", "event_time", "event_id", "action_source", "event_source_url", "user_data", "external_id", "custom_data", "value", "currency" };

    public Dictionary<string, (int Events, int Leaks)> PerPolicy { get; } = [];

    public void Run(CompiledPolicy policy, PracticeContext practice, DateOnly today, IEnumerable<PlantedEvent> events)
    {
        var processor = new EventProcessor();
        var policyNames = new HashSet<string>(StringComparer.Ordinal) { "type", "event", "messageId", "derived" };
        foreach (var rule in policy.EventTypes.SelectMany(t => t.Rules))
        {
            policyNames.UnionWith(rule.Path.Segments.Where(s => s != "*"));
            policyNames.UnionWith(rule.Derivations.Select(d => d.OutputName));
        }

        var leaks = 0;
        var count = 0;
        foreach (var planted in events)
        {
            count++;
            Events++;
            var cell = Cell(planted.Identifier.Kind, planted.Target.Kind);
            using var document = JsonDocument.Parse(planted.Bytes);
            processor.Reset(practice, today);
            var result = processor.Process(0, document.RootElement, null, policy);
            if (result.Disposition != EventDisposition.Forward)
            {
                cell.Refused++;
                continue;
            }

            cell.Forwarded++;
            var output = processor.OutputOf(result);
            var text = new ForwardedText(output, policyNames);
            if (text.Find(planted.Identifier) is { } found)
            {
                cell.Leaked++;
                leaks++;
                _examples.Add(new(policy.Name, planted.Target.EventTypeKey, planted.Target.PathText, planted.Target.Kind, planted.Identifier.Kind,
                    planted.Identifier.Rendering, planted.Placement, planted.Identifier.Text, found.Needle.Text, found.In));
            }

            if (planted.HarmlessWords.Count > 0)
            {
                CountHarmless(output, planted);
            }

            foreach (var destination in policy.Destinations.Where(d => d.Ads is { } ads && result.EventType?.EventName is { } name && ads.Events.ContainsKey(name)))
            {
                var row = AdConversionPreview.Build(destination, result, document.RootElement, output, practice).Row;
                if (row is null)
                {
                    continue;
                }

                AdBuilt++;
                if (new ForwardedText(row, s_adNames).Find(planted.Identifier) is { } adFound)
                {
                    AdLeaked++;
                    leaks++;
                    _examples.Add(new(policy.Name, planted.Target.EventTypeKey, planted.Target.PathText, planted.Target.Kind, planted.Identifier.Kind,
                        planted.Identifier.Rendering, planted.Placement, planted.Identifier.Text, adFound.Needle.Text, destination.Name + ": " + adFound.In));
                }
            }
        }

        PerPolicy[policy.Name] = (count, leaks);
    }

    private void CountHarmless(ReadOnlySpan<byte> output, PlantedEvent planted)
    {
        using var document = JsonDocument.Parse(output.ToArray());
        var node = document.RootElement;
        foreach (var segment in planted.Target.Path)
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(segment, out node))
            {
                return;
            }
        }

        if (node.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var words = NoteWriter.Words(TextNormalization.Fold(node.GetString()!)).ToList();
        var remaining = words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        foreach (var word in planted.HarmlessWords)
        {
            HarmlessPlanted++;
            if (remaining.TryGetValue(word, out var left) && left > 0)
            {
                remaining[word] = left - 1;
                HarmlessKept++;
            }
        }
    }

    private LeakCell Cell(IdentifierKind kind, FieldKind field)
    {
        if (!_cells.TryGetValue((kind, field), out var cell))
        {
            cell = new LeakCell();
            _cells[(kind, field)] = cell;
        }

        return cell;
    }
}
