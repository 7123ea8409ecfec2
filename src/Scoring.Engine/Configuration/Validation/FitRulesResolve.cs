using System.Globalization;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Every fit rule scores a declared attribute, and fit alone stays below the threshold: an MQL must have engaged,
/// so a perfect profile that never did anything is not marketing qualified (and would never decay out).
/// </summary>
internal sealed class FitRulesResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var config = context.Config;
        foreach (var rule in config.Fit)
        {
            if (config.Attribute(rule.Attribute) is null)
            {
                context.AddError(rule.Location, rule.Path, $"'{rule.Attribute}' is not declared under attributes");
            }

            if (rule.Points.Count == 0)
            {
                context.AddError(rule.Location, rule.Path + ".points", "lists no values");
            }
        }

        if (config.MaxFit >= config.Threshold)
        {
            context.AddError(config.LocationOf("threshold"), "threshold",
                $"the best possible fit ({F(config.MaxFit)}) reaches the threshold ({F(config.Threshold)}): raise the threshold or lower fit points, so that qualifying needs engagement");
        }
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
