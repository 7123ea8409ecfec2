using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Generalization;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;

namespace Gateway.LeakBench;

/// <summary>One generated event: the identifier planted, where, and the event's bytes as an SDK would send them.</summary>
public sealed record PlantedEvent(PlantTarget Target, PlantedIdentifier Identifier, string Placement, byte[] Bytes, IReadOnlyList<string> HarmlessWords);

/// <summary>
/// Generates a policy's leak corpus from rules: the planting targets are read off the compiled policy itself (every
/// free-text, campaign, URL, kept, generalized and id rule of every event type, plus property names and fields it
/// does not name), each event starts from the policy's own forwarded fixture for that event type, and the identifier
/// kinds and field kinds are crossed round-robin so every cell of the table gets events.
/// </summary>
public sealed class LeakCorpus
{
    public const string PracticeHost = "smile.example";

    private static readonly JsonSerializerOptions s_browser = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HashSet<string> _avoid = [.. NoteWriter.AllWords()];

    private readonly IdentifierFactory _identifiers;
    private readonly NoteWriter _notes;
    private readonly Random _random;

    /// <summary>Numbers the message ids: a run is the same for the same seed (a conversion's event_id is a digest of it).</summary>
    private int _messages;

    public LeakCorpus(int seed)
    {
        _identifiers = new IdentifierFactory(seed);
        _random = _identifiers.Random;
        _notes = new NoteWriter(_random);
    }

    /// <summary>Every place of <paramref name="policy"/>'s event types where an identifier may be planted.</summary>
    public static IReadOnlyList<PlantTarget> Targets(CompiledPolicy policy, PracticeContext practice, DateOnly today)
    {
        var bases = BaseEvents(policy, practice, today);
        var targets = new List<PlantTarget>();
        foreach (var type in policy.EventTypes)
        {
            if (!bases.TryGetValue(type.Key, out var baseEvent))
            {
                continue;
            }

            foreach (var rule in type.Rules)
            {
                var path = rule.Path.Segments;
                var op = rule.Operator;
                var (definition, _) = RuleSources.Find(policy, type, rule);
                if (path[0] == "context" && path.Count > 1 && path[1] == "campaign")
                {
                    targets.Add(new(type.Key, baseEvent, FieldKind.Campaign, path));
                }
                else if (op.Action == "redact-text")
                {
                    targets.Add(new(type.Key, baseEvent, FieldKind.FreeText, path));
                }
                else if (op.Action == "generalize" && op.Method == "url")
                {
                    var part = (string?)definition?.Options["keep"] switch { "path" => UrlPart.Path, "origin" => UrlPart.Origin, _ => UrlPart.OriginAndPath };
                    if (part != UrlPart.Origin)
                    {
                        targets.Add(new(type.Key, baseEvent, FieldKind.UrlPath, path, part));
                    }

                    if (part != UrlPart.Path)
                    {
                        targets.Add(new(type.Key, baseEvent, FieldKind.UrlHost, path, part));
                    }

                    targets.Add(new(type.Key, baseEvent, FieldKind.UrlQuery, path, part));
                }
                else if (op.Action == "keep" && !op.OutputClass.ContainsPhi())
                {
                    targets.Add(new(type.Key, baseEvent, FieldKind.Kept, path));
                }
                else if (op.Action == "generalize" || (op.Action == "drop" && rule.Derivations.Count > 0))
                {
                    targets.Add(new(type.Key, baseEvent, FieldKind.Generalized, path));
                }
                else if (op.Action == "hmac")
                {
                    targets.Add(new(type.Key, baseEvent, FieldKind.Id, path));
                }
            }

            targets.Add(new(type.Key, baseEvent, FieldKind.Id, ["messageId"]));
            targets.Add(new(type.Key, baseEvent, FieldKind.Key, [type.Type == "identify" ? "traits" : "properties"]));
            targets.Add(new(type.Key, baseEvent, FieldKind.Key, ["context"]));
            targets.Add(new(type.Key, baseEvent, FieldKind.Unknown, [type.Type == "identify" ? "traits" : "properties", "comment_extra"]));
            targets.Add(new(type.Key, baseEvent, FieldKind.Unknown, ["context", "page", "hash"]));
        }

        return targets;
    }

    /// <summary><paramref name="count"/> events for <paramref name="policy"/>: field kinds and identifier kinds crossed round-robin.</summary>
    public IEnumerable<PlantedEvent> Generate(CompiledPolicy policy, IReadOnlyList<PlantTarget> targets, int count)
    {
        foreach (var target in targets.DistinctBy(t => t.EventTypeKey))
        {
            foreach (System.Text.RegularExpressions.Match word in System.Text.RegularExpressions.Regex.Matches(
                Gateway.Compliance.Text.TextNormalization.Fold(target.BaseEvent.ToJsonString()), @"\p{L}+"))
            {
                _avoid.Add(word.Value);
            }
        }

        var byKind = targets.GroupBy(t => t.Kind).ToDictionary(g => g.Key, g => g.ToList());
        var fieldKinds = Enum.GetValues<FieldKind>().Where(byKind.ContainsKey).ToArray();
        var identifierKinds = Enum.GetValues<IdentifierKind>();
        for (var i = 0; i < count; i++)
        {
            var fieldKind = fieldKinds[i % fieldKinds.Length];
            var identifierKind = identifierKinds[(i / fieldKinds.Length) % identifierKinds.Length];
            var candidates = byKind[fieldKind];
            var target = candidates[_random.Next(candidates.Count)];
            var identifier = Draw(identifierKind);
            yield return Plant(policy.Name, target, identifier);
        }
    }

    /// <summary>An identifier none of whose name parts is a word of the harmless sentences or the base events (which would make a false leak).</summary>
    private PlantedIdentifier Draw(IdentifierKind kind)
    {
        while (true)
        {
            var identifier = _identifiers.Make(kind);
            if (!identifier.Needles.Any(n => n.Match == NeedleMatch.Word && _avoid.Contains(n.Text)))
            {
                return identifier;
            }
        }
    }

    private PlantedEvent Plant(string vertical, PlantTarget target, PlantedIdentifier identifier)
    {
        var evt = target.BaseEvent.DeepClone().AsObject();
        evt["messageId"] = $"leak-{++_messages:D8}";
        var harmless = (IReadOnlyList<string>)[];
        string placement;
        switch (target.Kind)
        {
            case FieldKind.FreeText:
                var (text, words) = _notes.Write(vertical, identifier.Text);
                PlantTarget.Set(evt, target.Path, text);
                harmless = words;
                placement = "note";
                break;
            case FieldKind.UrlPath:
            case FieldKind.UrlHost:
            case FieldKind.UrlQuery:
                (var url, placement) = Url(target, identifier);
                PlantTarget.Set(evt, target.Path, url);
                break;
            case FieldKind.Key:
                var container = PlantTarget.Get(evt, target.Path) as JsonObject;
                if (container is null)
                {
                    container = [];
                    PlantTarget.Set(evt, target.Path, container);
                }

                container[_random.Next(2) == 0 ? identifier.Text : identifier.Slug] = true;
                placement = "property name";
                break;
            default:
                var slug = _random.Next(3) == 0;
                PlantTarget.Set(evt, target.Path, slug ? identifier.Slug : identifier.Text);
                placement = slug ? "as a code (slug)" : "as written";
                break;
        }

        return new(target, identifier, placement, Encoding.UTF8.GetBytes(evt.ToJsonString(s_browser)), harmless);
    }

    private (string Url, string Placement) Url(PlantTarget target, PlantedIdentifier identifier)
    {
        var origin = target.UrlPart == UrlPart.Path ? string.Empty : $"https://{PracticeHost}";
        var text = identifier.Text;
        switch (target.Kind)
        {
            case FieldKind.UrlPath:
                var (segment, rule) = _random.Next(8) switch
                {
                    0 => (Uri.EscapeDataString(text), "percent-encoded"),
                    1 => (text.Replace(' ', '+'), "spaces as +"),
                    2 => (identifier.Slug, "slug"),
                    3 => (Uri.EscapeDataString(Uri.EscapeDataString(text)), "double-encoded"),
                    4 => (string.Concat(Encoding.UTF8.GetBytes(text).Select(b => $"%{b:x2}")), "every byte percent-encoded (lower case)"),
                    5 => ("thank-you;name=" + identifier.Slug, "matrix parameter"),
                    6 => (identifier.Slug + "/chart", "followed by another segment"),
                    _ => (Uri.EscapeDataString(text).Replace("%40", "@", StringComparison.Ordinal), "raw @ and dots"),
                };
                var prefix = _random.Next(3) switch { 0 => "/patients/", 1 => "/thank-you/", _ => "/services/implants/" };
                return ($"{origin}{prefix}{segment}", "path: " + rule);
            case FieldKind.UrlHost:
                if (identifier.Kind == IdentifierKind.Ip)
                {
                    var host = identifier.Text.Contains(':', StringComparison.Ordinal) ? $"[{identifier.Text}]" : identifier.Text;
                    return ($"http://{host}/book", "host: IP literal");
                }

                return _random.Next(2) == 0
                    ? ($"https://{identifier.Slug}.{PracticeHost}/book", "host: personal subdomain")
                    : ($"https://{identifier.Slug}.com/", "host: personal domain");
            default:
                var encoded = Uri.EscapeDataString(text);
                return _random.Next(4) switch
                {
                    0 => ($"{origin}/book?email={encoded}&utm_source=google", "query string"),
                    1 => ($"{origin}/book#name={encoded}", "fragment"),
                    2 => (target.UrlPart == UrlPart.Path ? $"/book;jsessionid={identifier.Slug}" : $"https://{identifier.Slug}:secret@{PracticeHost}/book", target.UrlPart == UrlPart.Path ? "matrix parameter" : "user info"),
                    _ => ($"{origin}/book?q={text.Replace(' ', '+')}", "query string, spaces as +"),
                };
        }
    }

    /// <summary>The policy's forwarded fixture input for each event type.</summary>
    private static Dictionary<string, JsonObject> BaseEvents(CompiledPolicy policy, PracticeContext practice, DateOnly today)
    {
        var processor = new EventProcessor();
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var fixture in PolicyFixture.LoadFolder(policy.Directory).Where(f => f.ExpectedDisposition == "forward" && f.Endpoint is null))
        {
            processor.Reset(practice, today);
            var processed = processor.Process(0, fixture.Input, null, policy, DataClassNames.Deidentified | ~DataClassNames.Deidentified);
            if (processed.Disposition == EventDisposition.Forward && processed.EventType is { } type && !result.ContainsKey(type.Key))
            {
                result[type.Key] = JsonNode.Parse(fixture.Input.GetRawText())!.AsObject();
            }
        }

        return result;
    }
}
