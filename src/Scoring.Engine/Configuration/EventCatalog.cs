using System.Text.Json;

namespace Scoring.Engine.Configuration;

/// <summary>
/// The event types a vertical's gateway can forward, read from its <c>schemas/*.schema.json</c> (each schema's
/// <c>title</c> is the track event's name or the call type) with the field paths each one can carry. Lets the
/// loader catch a misspelled event or field in a scoring file before it silently scores nothing.
/// </summary>
public sealed class EventCatalog
{
    /// <summary>Features the gateway derives before dropping identifiers (docs/forwarded-events.md).</summary>
    public static readonly IReadOnlySet<string> DerivedFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "derived.email_valid", "derived.phone_valid", "derived.email_business", "derived.in_service_area",
        "derived.age_band", "derived.has_insurance", "derived.seniority", "derived.org_size_band",
        "derived.patient_age_band", "derived.patient_email_valid", "derived.patient_phone_valid",
    };

    /// <summary>The UTM fields scoring reads from an event's context.</summary>
    public static readonly IReadOnlySet<string> CampaignFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "context.campaign.name", "context.campaign.source", "context.campaign.medium",
    };

    private static readonly string[] s_scoredRoots = ["properties", "traits"];

    private readonly Dictionary<string, HashSet<string>> _fields;

    private EventCatalog(Dictionary<string, HashSet<string>> fields)
    {
        _fields = fields;
    }

    public IReadOnlyCollection<string> Events => _fields.Keys;

    public bool Contains(string eventKey) => _fields.ContainsKey(eventKey);

    /// <summary>Whether <paramref name="path"/> is a field scoring can read from events of <paramref name="eventKey"/>.</summary>
    public bool HasField(string eventKey, string path) =>
        IsContextField(path) || (_fields.TryGetValue(eventKey, out var fields) && fields.Contains(path));

    /// <summary>Whether any event type can carry <paramref name="path"/>.</summary>
    public bool HasFieldInAnyEvent(string path) => IsContextField(path) || _fields.Values.Any(f => f.Contains(path));

    private static bool IsContextField(string path) => DerivedFields.Contains(path) || CampaignFields.Contains(path);

    /// <summary>Reads every schema in <c>{directory}/schemas</c>; problems go to <paramref name="errors"/>.</summary>
    public static EventCatalog Load(string directory, string scoringFile, List<ScoringConfigError> errors)
    {
        var fields = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var folder = Path.Combine(directory, "schemas");
        if (!Directory.Exists(folder))
        {
            errors.Add(new ScoringConfigError(new SourceLocation(scoringFile, 0, 0), string.Empty,
                "no schemas/ folder next to the scoring file: the events it names cannot be checked"));
            return new EventCatalog(fields);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.schema.json").Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            if (Path.GetFileName(file) == "envelope.schema.json")
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(file));
                var root = document.RootElement;
                if (!root.TryGetProperty("title", out var title) || title.GetString() is not { Length: > 0 } name)
                {
                    errors.Add(new ScoringConfigError(new SourceLocation(relative, 0, 0), string.Empty, "the schema has no title (the event's name)"));
                    continue;
                }

                var paths = new HashSet<string>(StringComparer.Ordinal);
                if (root.TryGetProperty("properties", out var top) && top.ValueKind == JsonValueKind.Object)
                {
                    foreach (var rootName in s_scoredRoots)
                    {
                        if (top.TryGetProperty(rootName, out var section))
                        {
                            Collect(section, rootName, paths);
                        }
                    }
                }

                fields[name] = paths;
            }
            catch (JsonException ex)
            {
                errors.Add(new ScoringConfigError(new SourceLocation(relative, (int)(ex.LineNumber ?? -1) + 1, 0), string.Empty, "the schema is not valid JSON"));
            }
        }

        return new EventCatalog(fields);
    }

    private static void Collect(JsonElement schema, string path, HashSet<string> paths)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var child = path + "." + property.Name;
            paths.Add(child);
            Collect(property.Value, child, paths);
        }
    }
}
