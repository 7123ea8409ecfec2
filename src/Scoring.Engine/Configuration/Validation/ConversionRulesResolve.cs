using Scoring.Engine.Stages;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Automatic conversion rules have unique code names, name known events, test and attribute to fields the converting
/// event forwards, and an actor other than <c>system</c> (a conversion is a fact the score never rewrites).
/// </summary>
internal sealed class ConversionRulesResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < context.Config.ConversionRules.Count; i++)
        {
            var rule = context.Config.ConversionRules[i];
            var path = $"automaticConversion[{i}]";
            if (!ScoringValidationContext.IsCode(rule.Name))
            {
                context.AddError(rule.Location, path + ".name", "rule names use lower-case letters, digits, '_' and '-'");
            }
            else if (!names.Add(rule.Name))
            {
                context.AddError(rule.Location, path + ".name", $"another rule is already named '{rule.Name}'");
            }

            if (!ScoringValidationContext.IsCode(rule.Actor) || rule.Actor == StageTransition.SystemActor)
            {
                context.AddError(rule.Location, path + ".actor", "must be a code other than 'system' (a conversion is not the score's doing)");
            }

            foreach (var earlier in rule.After.Where(e => !context.Events.Contains(e)))
            {
                context.AddError(rule.Location, path + ".after", $"no schema in schemas/ has the title '{earlier}'");
            }

            if (!context.Events.Contains(rule.Event))
            {
                context.AddError(rule.Location, path + ".event", $"no schema in schemas/ has the title '{rule.Event}'");
                continue;
            }

            context.CheckEventConditions(rule.Event, rule.When, path);

            if (rule.AttributeTo is { } field && context.Events.Field(rule.Event, field) is null)
            {
                context.AddError(rule.Location, path + ".attributeTo", $"'{rule.Event}' events do not forward '{field}'");
            }
        }
    }
}
