using System.Text.RegularExpressions;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>What the validation rules share: the configuration, its folder, the vertical's event catalog and the error list.</summary>
internal sealed partial class ScoringValidationContext
{
    private readonly List<ScoringConfigError> _errors = [];

    public ScoringValidationContext(ScoringConfig config, string directory, EventCatalog events)
    {
        Config = config;
        Directory = directory;
        Events = events;
    }

    public ScoringConfig Config { get; }

    public string Directory { get; }

    public EventCatalog Events { get; }

    public IReadOnlyList<ScoringConfigError> Errors => _errors;

    public void AddError(SourceLocation location, string path, string message) => _errors.Add(new ScoringConfigError(location, path, message));

    /// <summary>Reports a condition that can never be true of what the policy forwards for its field.</summary>
    public void CheckForwarded(Condition condition, Gateway.Compliance.Policies.Analysis.ForwardedValue forwarded, string path, string subject)
    {
        if (ForwardedConditions.Problem(condition, forwarded, subject) is { } problem)
        {
            AddError(condition.Location, path, problem);
        }
    }

    /// <summary>Checks conditions on an event's fields (direct and conversion rules): the event forwards each field, and each can hold.</summary>
    public void CheckEventConditions(string eventName, IReadOnlyList<Condition> conditions, string path)
    {
        foreach (var condition in conditions)
        {
            var conditionPath = $"{path}.when.{condition.Field}";
            if (Events.Field(eventName, condition.Field) is not { } forwarded)
            {
                AddError(condition.Location, conditionPath, $"'{eventName}' events do not forward '{condition.Field}'");
            }
            else
            {
                CheckForwarded(condition, forwarded, conditionPath, $"in '{eventName}' events it");
            }
        }
    }

    /// <summary>Checks conditions on lead attributes (routing, lead types): each names a declared attribute and can hold.</summary>
    public void CheckAttributeConditions(IReadOnlyList<Condition> conditions, string path)
    {
        foreach (var condition in conditions)
        {
            var conditionPath = $"{path}.{ConfigPaths.Key(condition.Field)}";
            if (Config.Attribute(condition.Field) is not { } attribute)
            {
                AddError(condition.Location, conditionPath, $"'{condition.Field}' is not declared under attributes");
            }
            else if (Events.Attribute(attribute) is { } forwarded)
            {
                CheckForwarded(condition, forwarded, conditionPath, $"attribute '{attribute.Name}'");
            }
        }
    }

    /// <summary>
    /// Checks an ordered rule list (first match wins): every rule's conditions can hold, no rule follows one without
    /// conditions (it could never match), and the last has none (every lead gets one).
    /// </summary>
    public void CheckRuleList(IReadOnlyList<(IReadOnlyList<Condition> When, SourceLocation Location, string Path)> rules, string listPath, SourceLocation listLocation, string purpose)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            CheckAttributeConditions(rules[i].When, rules[i].Path + ".when");
            if (rules[i].When.Count == 0 && i < rules.Count - 1)
            {
                AddError(rules[i + 1].Location, rules[i + 1].Path, "can never match: an earlier rule has no conditions");
            }
        }

        if (rules.Count == 0 || rules[^1].When.Count > 0)
        {
            AddError(listLocation, listPath, $"the last rule must have no conditions, so that {purpose}");
        }
    }

    /// <summary>Codes (queue names, criteria, reasons, rule names): lower-case letters, digits, '_' and '-'.</summary>
    public static bool IsCode(string value) => CodePattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
