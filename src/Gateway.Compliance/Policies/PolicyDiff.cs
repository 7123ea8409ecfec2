using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies.Definitions;

namespace Gateway.Compliance.Policies;

/// <summary>
/// What changes between two versions of a vertical's policy, for a reviewer of the pull request: settings
/// (destinations, consent, unlisted events), event types added and removed, every field rule added, removed
/// or changed per event type (action, options, class, derived features), and how the forwarded output and
/// audit of every fixture of either version differ when run through both.
/// </summary>
public static class PolicyDiff
{
    /// <summary>The event type key used for changes to common field rules that apply alike to every event type.</summary>
    public const string AllEventTypes = "*";

    public static PolicyDiffResult Compare(CompiledPolicy before, CompiledPolicy after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var settings = CompareSettings(before.Definition, after.Definition);
        var beforeTypes = before.EventTypes.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var afterTypes = after.EventTypes.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var added = afterTypes.Keys.Except(beforeTypes.Keys).Order(StringComparer.Ordinal).ToList();
        var removed = beforeTypes.Keys.Except(afterTypes.Keys).Order(StringComparer.Ordinal).ToList();

        var changes = new List<FieldRuleChange>();
        foreach (var key in beforeTypes.Keys.Intersect(afterTypes.Keys).Order(StringComparer.Ordinal))
        {
            changes.AddRange(CompareRules(key, before, beforeTypes[key], after, afterTypes[key]));
            if (beforeTypes[key].Definition.Schema != afterTypes[key].Definition.Schema)
            {
                settings.Add($"{key}: schema {beforeTypes[key].Definition.Schema} → {afterTypes[key].Definition.Schema}");
            }

            var beforeDestinations = string.Join(", ", beforeTypes[key].Destinations.Select(d => d.Name));
            var afterDestinations = string.Join(", ", afterTypes[key].Destinations.Select(d => d.Name));
            if (beforeDestinations != afterDestinations)
            {
                settings.Add($"{key}: destinations [{beforeDestinations}] → [{afterDestinations}]");
            }
        }

        var fixtures = CompareFixtures(before, after, out var compared);
        var fieldChanges = Collapse(changes, beforeTypes.Keys.Intersect(afterTypes.Keys).Count());
        if (before.Version == after.Version && (settings.Count > 0 || added.Count > 0 || removed.Count > 0 || fieldChanges.Count > 0 || fixtures.Count > 0))
        {
            settings.Insert(0, $"version: still {after.Version}: a changed policy needs a new version, since audit records name the version");
        }

        return new PolicyDiffResult
        {
            BeforeVersion = before.Version,
            AfterVersion = after.Version,
            Settings = settings,
            AddedEventTypes = added,
            RemovedEventTypes = removed,
            FieldChanges = fieldChanges,
            FixtureChanges = fixtures,
            FixturesCompared = compared,
        };
    }

    private static List<string> CompareSettings(PolicyDefinition before, PolicyDefinition after)
    {
        var settings = new List<string>();
        if (before.Version != after.Version)
        {
            settings.Add($"version: {before.Version} → {after.Version}");
        }

        if (before.UnlistedEvents != after.UnlistedEvents)
        {
            settings.Add($"unlistedEvents: {Lower(before.UnlistedEvents)} → {Lower(after.UnlistedEvents)}");
        }

        var beforeDestinations = before.Destinations.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var afterDestinations = after.Destinations.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var name in beforeDestinations.Keys.Union(afterDestinations.Keys).Order(StringComparer.Ordinal))
        {
            var old = beforeDestinations.GetValueOrDefault(name);
            var now = afterDestinations.GetValueOrDefault(name);
            if (old is null || now is null)
            {
                settings.Add($"destination {name}: {(old is null ? "added" : "removed")}");
                continue;
            }

            if (old.Cluster != now.Cluster)
            {
                settings.Add($"destination {name}: cluster {old.Cluster} → {now.Cluster}");
            }

            if (!old.Purposes.SequenceEqual(now.Purposes))
            {
                settings.Add($"destination {name}: purposes [{string.Join(", ", old.Purposes)}] → [{string.Join(", ", now.Purposes)}]");
            }

            if (old.WithoutBaa != now.WithoutBaa)
            {
                settings.Add($"destination {name}: withoutBaa {Lower(old.WithoutBaa)} → {Lower(now.WithoutBaa)}");
            }
        }

        foreach (var category in before.Consent.CategoryPreferences.Keys.Union(after.Consent.CategoryPreferences.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.Consent.CategoryPreferences.GetValueOrDefault(category);
            var now = after.Consent.CategoryPreferences.GetValueOrDefault(category);
            if (old != now)
            {
                settings.Add($"consent category {category}: {old ?? "(none)"} → {now ?? "(none)"}");
            }
        }

        if (!before.Consent.SmsReplyEvents.SequenceEqual(after.Consent.SmsReplyEvents) || before.Consent.SmsKeywordField != after.Consent.SmsKeywordField)
        {
            settings.Add($"consent SMS replies: [{string.Join(", ", before.Consent.SmsReplyEvents)}] {before.Consent.SmsKeywordField} → [{string.Join(", ", after.Consent.SmsReplyEvents)}] {after.Consent.SmsKeywordField}");
        }

        return settings;
    }

    private static IEnumerable<FieldRuleChange> CompareRules(string key, CompiledPolicy before, CompiledEventType beforeType, CompiledPolicy after, CompiledEventType afterType)
    {
        var old = RuleSources.Effective(before, beforeType);
        var now = RuleSources.Effective(after, afterType);
        foreach (var path in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var hasOld = old.TryGetValue(path, out var o);
            var hasNew = now.TryGetValue(path, out var n);
            var oldText = hasOld ? RuleSources.Describe(o.Definition, o.Rule) : null;
            var newText = hasNew ? RuleSources.Describe(n.Definition, n.Rule) : null;
            if (oldText == newText)
            {
                continue;
            }

            var aspects = new List<string>();
            if (hasOld && hasNew)
            {
                if (o.Rule.Operator.Action != n.Rule.Operator.Action)
                {
                    aspects.Add("action");
                }

                if (!Newtonsoft.Json.Linq.JToken.DeepEquals(Options(o.Definition), Options(n.Definition)))
                {
                    aspects.Add("options");
                }

                if (o.Definition?.Class != n.Definition?.Class)
                {
                    aspects.Add("class");
                }

                if (!(o.Definition?.Derive ?? []).Select(d => (d.Feature, d.OutputName)).SequenceEqual((n.Definition?.Derive ?? []).Select(d => (d.Feature, d.OutputName))))
                {
                    aspects.Add("derive");
                }
            }

            yield return new FieldRuleChange
            {
                EventType = key,
                Path = path,
                Change = !hasOld ? "added" : !hasNew ? "removed" : "changed",
                Before = oldText,
                After = newText,
                Aspects = aspects,
                BeforeLocation = hasOld ? o.Definition?.Location : null,
                AfterLocation = hasNew ? n.Definition?.Location : null,
                Common = (!hasOld || o.Scope == RuleScope.Common) && (!hasNew || n.Scope == RuleScope.Common),
            };
        }
    }

    /// <summary>A common-field change that shows alike in every shared event type is reported once, under <see cref="AllEventTypes"/>.</summary>
    private static List<FieldRuleChange> Collapse(List<FieldRuleChange> changes, int sharedEventTypes)
    {
        var result = new List<FieldRuleChange>();
        foreach (var group in changes.GroupBy(c => (c.Path, c.Before, c.After, c.Common)))
        {
            if (group.Key.Common && sharedEventTypes > 1 && group.Count() == sharedEventTypes)
            {
                result.Add(group.First() with { EventType = AllEventTypes });
            }
            else
            {
                result.AddRange(group);
            }
        }

        return [.. result.OrderBy(c => c.EventType == AllEventTypes ? 0 : 1).ThenBy(c => c.EventType, StringComparer.Ordinal).ThenBy(c => c.Path, StringComparer.Ordinal)];
    }

    private static List<FixtureOutcomeChange> CompareFixtures(CompiledPolicy before, CompiledPolicy after, out int compared)
    {
        var fixtures = new List<PolicyFixture>(PolicyFixture.LoadFolder(after.Directory));
        var inputs = fixtures.Select(f => f.Input.GetRawText()).ToHashSet(StringComparer.Ordinal);
        fixtures.AddRange(PolicyFixture.LoadFolder(before.Directory).Where(f => !inputs.Contains(f.Input.GetRawText())));
        compared = fixtures.Count;
        var changes = new List<FixtureOutcomeChange>();
        foreach (var fixture in fixtures)
        {
            var old = FixtureRunner.Run(before, fixture);
            var now = FixtureRunner.Run(after, fixture);
            var differences = new List<string>();
            foreach (var member in new[] { "outcome", "reason", "eventType" })
            {
                var a = old.ActualAudit?[member]?.ToJsonString() ?? "null";
                var b = now.ActualAudit?[member]?.ToJsonString() ?? "null";
                if (a != b)
                {
                    differences.Add($"{member}: {a} → {b}");
                }
            }

            JsonDiff("output", old.ActualOutput, now.ActualOutput, differences);
            foreach (var member in new[] { "fields", "derived", "detected", "unmapped", "classes" })
            {
                JsonDiff("audit." + member, old.ActualAudit?[member], now.ActualAudit?[member], differences);
            }

            if (differences.Count > 0)
            {
                changes.Add(new FixtureOutcomeChange(Path.GetFileName(fixture.File), now.ActualAudit?["eventType"]?.GetValue<string>() ?? old.ActualAudit?["eventType"]?.GetValue<string>(), differences));
            }
        }

        return changes;
    }

    private static void JsonDiff(string path, JsonNode? before, JsonNode? after, List<string> differences)
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var name in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                JsonDiff($"{path}.{name}", b[name], a[name], differences);
            }

            return;
        }

        if (before is JsonArray ba && after is JsonArray aa && ba.All(n => n is JsonValue) && aa.All(n => n is JsonValue))
        {
            // Lists of paths or names: report what was added and removed rather than positions.
            var old = ba.Select(Show).ToList();
            var now = aa.Select(Show).ToList();
            var gone = old.Except(now).ToList();
            var come = now.Except(old).ToList();
            if (gone.Count > 0 || come.Count > 0)
            {
                differences.Add($"{path}: {string.Join(" ", gone.Select(g => "-" + g).Concat(come.Select(c => "+" + c)))}");
            }

            return;
        }

        if (!JsonNode.DeepEquals(before, after))
        {
            differences.Add($"{path}: {(before is null ? "(absent)" : Show(before))} → {(after is null ? "(absent)" : Show(after))}");
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";

    private static Newtonsoft.Json.Linq.JObject Options(FieldRuleDefinition? definition) => definition?.Options ?? [];

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}

/// <summary>The changes between two versions of a policy.</summary>
public sealed record PolicyDiffResult
{
    public required string BeforeVersion { get; init; }

    public required string AfterVersion { get; init; }

    /// <summary>Changes to the version, destinations, consent, unlisted-event handling, schemas and event type destinations.</summary>
    public required IReadOnlyList<string> Settings { get; init; }

    public required IReadOnlyList<string> AddedEventTypes { get; init; }

    public required IReadOnlyList<string> RemovedEventTypes { get; init; }

    /// <summary>Field rules added, removed or changed, per event type (<see cref="PolicyDiff.AllEventTypes"/> for common changes).</summary>
    public required IReadOnlyList<FieldRuleChange> FieldChanges { get; init; }

    /// <summary>Fixtures whose outcome, output or audit differ between the two versions.</summary>
    public required IReadOnlyList<FixtureOutcomeChange> FixtureChanges { get; init; }

    public int FixturesCompared { get; init; }

    public bool HasChanges => Settings.Count > 0 || AddedEventTypes.Count > 0 || RemovedEventTypes.Count > 0 || FieldChanges.Count > 0 || FixtureChanges.Count > 0;
}

/// <summary>One field rule that differs between two versions of an event type.</summary>
public sealed record FieldRuleChange
{
    public required string EventType { get; init; }

    /// <summary>The rule's path (normalized: <c>[*]</c> as <c>.*</c>).</summary>
    public required string Path { get; init; }

    /// <summary><c>added</c>, <c>removed</c> or <c>changed</c>.</summary>
    public required string Change { get; init; }

    public string? Before { get; init; }

    public string? After { get; init; }

    /// <summary>For a changed rule, what changed: <c>action</c>, <c>options</c>, <c>class</c>, <c>derive</c>.</summary>
    public IReadOnlyList<string> Aspects { get; init; } = [];

    public SourceLocation? BeforeLocation { get; init; }

    public SourceLocation? AfterLocation { get; init; }

    /// <summary>True when the rule is a common field rule on both sides.</summary>
    public bool Common { get; init; }
}

/// <summary>A fixture whose result differs between the two versions (JSON paths, before → after).</summary>
public sealed record FixtureOutcomeChange(string Fixture, string? EventType, IReadOnlyList<string> Differences);
