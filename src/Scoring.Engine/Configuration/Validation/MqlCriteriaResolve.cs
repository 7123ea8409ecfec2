using System.Globalization;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// The ways to reach a lead test declared attributes for values they can take (a derived <c>email_valid</c>, not
/// an email the policy drops); the re-qualification threshold after a person's recycle is above the best possible fit.
/// </summary>
internal sealed class MqlCriteriaResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var stages = context.Config.Stages;
        for (var i = 0; i < stages.Contactable.Count; i++)
        {
            context.CheckAttributeConditions(stages.Contactable[i], $"stages.mql.contactable[{i}]");
        }

        if (stages.RequalifyThreshold is { } requalify && (requalify <= context.Config.MaxFit || requalify > 1000))
        {
            context.AddError(stages.Location, "stages.mql.requalifyThreshold",
                $"must be above the best possible fit ({context.Config.MaxFit.ToString("0.##", CultureInfo.InvariantCulture)}) and at most 1000: re-qualifying must need new engagement");
        }
    }
}
