using System.Globalization;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Direct-qualification rules have unique code names, name a known event, test fields that event carries, and
/// ask for a fit the profile can reach (otherwise the rule could never fire).
/// </summary>
internal sealed class DirectRulesResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var config = context.Config;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.DirectRules.Count; i++)
        {
            var rule = config.DirectRules[i];
            var path = $"directQualification[{i}]";
            if (!ScoringValidationContext.IsCode(rule.Name))
            {
                context.AddError(rule.Location, path + ".name", "rule names use lower-case letters, digits, '_' and '-'");
            }
            else if (!names.Add(rule.Name))
            {
                context.AddError(rule.Location, path + ".name", $"another rule is already named '{rule.Name}'");
            }

            if (!context.Events.Contains(rule.Event))
            {
                context.AddError(rule.Location, path + ".event", $"no schema in schemas/ has the title '{rule.Event}'");
            }
            else
            {
                context.CheckEventConditions(rule.Event, rule.When, path);
            }

            if (rule.MinFit is { } minFit && minFit > config.MaxFit)
            {
                context.AddError(rule.Location, path + ".minFit",
                    $"{minFit.ToString("0.##", CultureInfo.InvariantCulture)} is more than the best possible fit ({config.MaxFit.ToString("0.##", CultureInfo.InvariantCulture)}), so the rule could never hold");
            }
        }
    }
}
