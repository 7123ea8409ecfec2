using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Schemas;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Processing;

/// <summary>
/// A dry run for policy engineers: what a policy does to one sample event, field by field and why (which rule
/// matched, where it is written), the scrubbed output, and any text in the output that a detector still
/// finds. Runs the real engine; nothing is forwarded or audited. Input values appear only when asked for,
/// since sample events may be real.
/// </summary>
public static class PolicyExplainer
{
    /// <summary>What still looks identifying in forwarded text: the detectors and the name finder (unknown words and numbers aside, which pseudonyms and codes are full of).</summary>
    private static readonly FreeTextScrubber s_scanner = new(TextDetectorRegistry.Default.All, AllowedVocabulary.EnglishOnly);

    public static EventExplanation Explain(CompiledPolicy policy, JsonElement evt, PracticeContext practice, DateOnly today, string? endpoint = null, bool showValues = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(practice);
        var processor = new EventProcessor();
        processor.Reset(practice, today);
        var result = processor.Process(0, evt, endpoint, policy);
        var forwarded = result.Disposition == EventDisposition.Forward;
        var fields = new List<FieldExplanation>();
        var type = result.EventType;
        if (evt.ValueKind == JsonValueKind.Object)
        {
            var outcomes = forwarded ? processor.Context.Trace.Rules.ToDictionary(t => t.Rule.Index) : [];
            var detections = forwarded
                ? processor.Context.Trace.Detections.GroupBy(d => d.Rule.Index).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(d => d.Detector).Distinct().Order(StringComparer.Ordinal)])
                : [];
            var walker = new Walker(policy, type, forwarded, outcomes, detections, showValues, fields);
            walker.WalkRoot(evt);
        }

        string? output = null;
        var findings = new List<OutputFinding>();
        if (forwarded)
        {
            var node = JsonNode.Parse(processor.OutputOf(result))!;
            output = node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            var classes = fields.Where(f => f.OutputClass is not null).ToDictionary(f => f.Path, f => f.OutputClass!.Value, StringComparer.Ordinal);
            ScanOutput(node, "$", classes, findings);
        }

        return new EventExplanation
        {
            EventType = type?.Key,
            Disposition = result.Disposition.ToString().ToLowerInvariant(),
            Reason = result.Reason,
            Violations = result.Violations,
            Fields = fields,
            Output = output,
            Findings = findings,
            Destinations = forwarded ? [.. type!.Destinations.Select(d => d.Name)] : [],
            Classes = forwarded ? [.. result.Classes.ToNames()] : [],
            AdPreviews = forwarded ? AdPreviews(policy, result, evt, processor, practice) : [],
        };
    }

    private static List<AdPreview> AdPreviews(CompiledPolicy policy, EventResult result, JsonElement evt, EventProcessor processor, PracticeContext practice)
    {
        var previews = new List<AdPreview>();
        foreach (var destination in policy.Destinations.Where(d => d.Ads is { } ads && result.EventType!.EventName is { } name && ads.Events.ContainsKey(name)))
        {
            var (decision, row) = Destinations.AdConversionPreview.Build(destination, result, evt, processor.OutputOf(result), practice);
            previews.Add(new AdPreview(destination.Name, destination.Kind == Policies.Definitions.DestinationKind.MetaCapi ? "meta-capi" : "google-ads-conversions",
                destination.Enabled, decision.Outcome, decision.Mode, decision.Reason, row is null ? null : System.Text.Encoding.UTF8.GetString(row)));
        }

        return previews;
    }

    /// <summary>Detectors that find exactly what a rule of this output class means to send (a generalized URL is still a URL).</summary>
    private static readonly Dictionary<string, DataClasses> s_expected = new(StringComparer.Ordinal)
    {
        ["url"] = DataClasses.Url,
        ["date"] = DataClasses.Date,
        ["ip"] = DataClasses.Network,
    };

    private static void ScanOutput(JsonNode? node, string path, IReadOnlyDictionary<string, DataClasses> classes, List<OutputFinding> findings)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    // The event type and name come from the policy, not the event.
                    if (path != "$" || name is not ("type" or "event"))
                    {
                        ScanOutput(child, path == "$" ? name : $"{path}.{name}", classes, findings);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    ScanOutput(array[i], $"{path}[{i}]", classes, findings);
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                // Placeholders the engine wrote are not findings ("my name is [REDACTED:PERSON_NAME]" would read as a name).
                var unplaced = text.Replace("[REDACTED", "(", StringComparison.Ordinal);
                var fired = s_scanner.Scrub(System.Text.RegularExpressions.Regex.Replace(unplaced, @"\((:[A-Z_]+)?\]", "."))
                    .Labels.Where(l => l is not (FreeTextScrubber.UnknownWord or FreeTextScrubber.Number)).ToList();
                if (fired.Count > 0)
                {
                    var outputClass = classes.GetValueOrDefault(path);
                    var expected = fired.All(d => s_expected.TryGetValue(d, out var c) && (outputClass & c) != 0);
                    findings.Add(new OutputFinding(path, fired, expected
                        ? $"expected: the rule sends this field as class {string.Join(", ", outputClass.ToNames())}"
                        : null));
                }

                break;
        }
    }

    /// <summary>Walks the event and the rule trie together, exactly as <see cref="EventScrubber"/> does.</summary>
    private sealed class Walker(
        CompiledPolicy policy,
        CompiledEventType? type,
        bool forwarded,
        IReadOnlyDictionary<int, TracedRule> outcomes,
        IReadOnlyDictionary<int, IReadOnlyList<string>> detections,
        bool showValues,
        List<FieldExplanation> fields)
    {
        public void WalkRoot(JsonElement evt)
        {
            foreach (var property in evt.EnumerateObject())
            {
                var name = property.Name;
                if (name is "type" or "event" or "messageId")
                {
                    Add(new FieldExplanation
                    {
                        Path = name,
                        ValueKind = Kind(property.Value),
                        Value = ValueOf(property.Value),
                        Action = name == "messageId" ? "hmac" : "keep",
                        Outcome = forwarded ? "written" : "not-forwarded",
                        Why = name == "messageId"
                            ? "engine: the message id is always replaced by the practice's pseudonym of it"
                            : "engine: written from the validated envelope",
                    });
                    continue;
                }

                if (type is null)
                {
                    Add(Unprocessed(name, property.Value));
                    continue;
                }

                Walk(property.Value, type.Root.Match(name), name);
            }
        }

        private void Walk(JsonElement value, RuleNode? node, string path)
        {
            if (node is null)
            {
                Add(Unmapped(path, value, "no rule names this field: dropped (allow-list)"));
                return;
            }

            if (node.Rule is { } rule)
            {
                Add(Explain(rule, path, value));
                return;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        Walk(property.Value, node.Match(property.Name), $"{path}.{property.Name}");
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
                        if (node.Wildcard is null)
                        {
                            Add(Unmapped(itemPath, item, "the policy names no rule for this array's items: dropped"));
                        }
                        else
                        {
                            Walk(item, node.Wildcard, itemPath);
                        }
                    }

                    break;
                default:
                    Add(Unmapped(path, value, "the policy names only fields beneath this one: dropped"));
                    break;
            }
        }

        private FieldExplanation Explain(CompiledFieldRule rule, string path, JsonElement value)
        {
            var (definition, scope) = RuleSources.Find(policy, type!, rule);
            var outcome = "not-forwarded";
            IReadOnlyList<string> derived = [];
            if (forwarded && outcomes.TryGetValue(rule.Index, out var traced))
            {
                outcome = Describe(traced);
                derived = traced.Derived ? [.. rule.Derivations.Select(d => d.OutputName)] : [];
            }
            else if (forwarded)
            {
                outcome = "dropped";
            }

            return new FieldExplanation
            {
                Path = path,
                ValueKind = Kind(value),
                Value = ValueOf(value),
                RulePath = rule.Path.Text,
                RuleLocation = definition?.Location,
                RuleText = RuleSources.Describe(definition, rule),
                Scope = scope,
                Action = rule.Operator.Method is null ? rule.Operator.Action : $"{rule.Operator.Action}:{rule.Operator.Method}",
                Outcome = outcome,
                Derived = derived,
                Detectors = detections.TryGetValue(rule.Index, out var fired) ? fired : [],
                OutputClass = rule.Operator.OutputClass,
                Why = scope switch
                {
                    RuleScope.Engine => "engine: userId and anonymousId are always pseudonymized",
                    RuleScope.Common => $"common rule {definition!.PolicyPath}",
                    _ => $"event type rule {definition!.PolicyPath}",
                },
            };
        }

        private static string Describe(TracedRule traced)
        {
            var parts = new List<string>();
            if (traced.Written)
            {
                parts.Add("written");
            }

            if (traced.Dropped)
            {
                parts.Add("dropped");
            }

            if (traced.Invalid)
            {
                parts.Add("invalid (dropped)");
            }

            if (traced.Withheld)
            {
                parts.Add("withheld");
            }

            return parts.Count == 0 ? "dropped" : string.Join(", ", parts);
        }

        private FieldExplanation Unmapped(string path, JsonElement value, string why) => new()
        {
            Path = path,
            ValueKind = Kind(value),
            Value = ValueOf(value),
            Action = "drop",
            Outcome = forwarded ? "dropped" : "not-forwarded",
            Why = why,
        };

        private FieldExplanation Unprocessed(string path, JsonElement value) => new()
        {
            Path = path,
            ValueKind = Kind(value),
            Value = ValueOf(value),
            Action = "none",
            Outcome = "not-forwarded",
            Why = "the event matched no event type of the policy",
        };

        private string? ValueOf(JsonElement value)
        {
            if (!showValues)
            {
                return null;
            }

            var raw = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            return raw.Length > 200 ? raw[..200] + "…" : raw;
        }

        private static string Kind(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Null => "null",
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            _ => "undefined",
        };

        private void Add(FieldExplanation explanation) => fields.Add(explanation);
    }
}

/// <summary>What the policy did with one event.</summary>
public sealed record EventExplanation
{
    /// <summary>The matched event type (<c>track:Name</c>), or null.</summary>
    public string? EventType { get; init; }

    /// <summary><c>forward</c>, <c>dropped</c> or <c>rejected</c>.</summary>
    public required string Disposition { get; init; }

    public string? Reason { get; init; }

    public IReadOnlyList<SchemaViolation> Violations { get; init; } = [];

    public required IReadOnlyList<FieldExplanation> Fields { get; init; }

    /// <summary>The scrubbed event as it would be forwarded (indented JSON), or null.</summary>
    public string? Output { get; init; }

    /// <summary>Strings in the output in which a detector still finds something (a warning, not an error).</summary>
    public IReadOnlyList<OutputFinding> Findings { get; init; } = [];

    /// <summary>The findings a rule's class does not account for: text that may still identify someone.</summary>
    public IEnumerable<OutputFinding> Warnings => Findings.Where(f => f.Expected is null);

    public IReadOnlyList<string> Destinations { get; init; } = [];

    /// <summary>Data classes of what would be forwarded (decides which destinations need a BAA).</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <summary>What each ad-platform destination mapping this event would be sent, enabled or not (the dry-run preview).</summary>
    public IReadOnlyList<AdPreview> AdPreviews { get; init; } = [];
}

/// <summary>
/// One ad destination's form of the event, as a subject with the destination's consent purposes but no HIPAA
/// authorization would have it sent: the de-identified form, through the same planner ingest uses.
/// </summary>
public sealed record AdPreview(string Destination, string Kind, bool Enabled, string Outcome, string? Mode, string? Reason, string? Row);

/// <summary>One field of the input event and what happened to it.</summary>
public sealed record FieldExplanation
{
    /// <summary>The field's path in the event (<c>properties.items[0].sku</c>).</summary>
    public required string Path { get; init; }

    public required string ValueKind { get; init; }

    /// <summary>The input value; null unless values were asked for.</summary>
    public string? Value { get; init; }

    /// <summary>The matching rule's path pattern (<c>properties.items.*.sku</c>), or null when none matched.</summary>
    public string? RulePath { get; init; }

    /// <summary>Where the rule is written (policy file, line, column).</summary>
    public SourceLocation? RuleLocation { get; init; }

    /// <summary>The rule as written: action, options, derived features, class.</summary>
    public string? RuleText { get; init; }

    public RuleScope? Scope { get; init; }

    /// <summary>The action (<c>keep</c>, <c>hmac</c>, <c>generalize:zip3</c>, <c>drop</c>, ...).</summary>
    public required string Action { get; init; }

    /// <summary><c>written</c>, <c>dropped</c>, <c>invalid (dropped)</c>, <c>withheld</c> or <c>not-forwarded</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why: the rule's place in the policy, or the engine's reason.</summary>
    public required string Why { get; init; }

    /// <summary>Features derived from the field (written under <c>derived</c>).</summary>
    public IReadOnlyList<string> Derived { get; init; } = [];

    /// <summary>Detectors that fired in the field's free text (and were redacted).</summary>
    public IReadOnlyList<string> Detectors { get; init; } = [];

    /// <summary>The class of what the rule writes (null when no rule matched).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DataClasses? OutputClass { get; init; }
}

/// <summary>
/// A string in the scrubbed output in which detectors still find something. <see cref="Expected"/> says why
/// when the rule that wrote it sends that kind of data on purpose (a generalized URL); null makes it a warning.
/// </summary>
public sealed record OutputFinding(string Path, IReadOnlyList<string> Detectors, string? Expected = null);
