namespace Scoring.Engine.Configuration.Validation;

/// <summary>Lead types are codes, their conditions test declared attributes for values they can take, and the last rule has no conditions.</summary>
internal sealed class LeadTypesResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var rules = context.Config.LeadTypes;
        foreach (var rule in rules.Where(r => !ScoringValidationContext.IsCode(r.Type)))
        {
            context.AddError(rule.Location, rule.Path + ".type", "lead types use lower-case letters, digits, '_' and '-'");
        }

        if (rules.Count > 0)
        {
            context.CheckRuleList([.. rules.Select(r => (r.When, r.Location, r.Path))], "leadTypes", context.Config.Location, "every lead has a type");
        }
    }
}
