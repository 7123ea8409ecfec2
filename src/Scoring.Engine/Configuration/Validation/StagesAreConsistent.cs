namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// SQL criteria and reasons are unique codes; sufficient criteria are among the criteria; the minimum can be met.
/// </summary>
internal sealed class StagesAreConsistent : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var stages = context.Config.Stages;
        Codes(context, stages.SqlCriteria, "stages.sql.criteria");
        Codes(context, stages.DisqualifyReasons, "stages.disqualifyReasons");
        Codes(context, stages.RecycleReasons, "stages.recycleReasons");
        foreach (var code in stages.SqlSufficient.Where(c => !stages.SqlCriteria.Contains(c, StringComparer.Ordinal)))
        {
            context.AddError(stages.Location, "stages.sql.sufficient", $"'{code}' is not one of the criteria");
        }

        if (stages.SqlMinimum < 1 || stages.SqlMinimum > stages.SqlCriteria.Count)
        {
            context.AddError(stages.Location, "stages.sql.minimum", $"must be between 1 and the number of criteria ({stages.SqlCriteria.Count})");
        }
    }

    private static void Codes(ScoringValidationContext context, IReadOnlyList<string> codes, string path)
    {
        if (codes.Count == 0)
        {
            context.AddError(context.Config.Stages.Location, path, "lists nothing");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in codes)
        {
            if (!ScoringValidationContext.IsCode(code))
            {
                context.AddError(context.Config.Stages.Location, path, $"'{code}' is not a code (lower-case letters, digits, '_' and '-')");
            }
            else if (!seen.Add(code))
            {
                context.AddError(context.Config.Stages.Location, path, $"'{code}' is listed twice");
            }
        }
    }
}
