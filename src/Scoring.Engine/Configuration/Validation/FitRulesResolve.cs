using System.Globalization;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Every fit rule scores a declared attribute for values it can take, and fit alone stays below the threshold: an MQL must have engaged,
/// so a perfect profile that never did anything is not marketing qualified (and would never decay out).
/// </summary>
internal sealed class FitRulesResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var config = context.Config;
        foreach (var rule in config.Fit)
        {
            if (config.Attribute(rule.Attribute) is not { } attribute)
            {
                context.AddError(rule.Location, rule.Path, $"'{rule.Attribute}' is not declared under attributes");
            }
            else if (context.Events.Attribute(attribute) is { } forwarded)
            {
                foreach (var value in rule.Points.Keys.Where(v => !ForwardedConditions.CanBe(forwarded, v)))
                {
                    context.AddError(rule.Location, $"{rule.Path}.points.{ConfigPaths.Key(value)}",
                        $"can never be '{value}': attribute '{attribute.Name}' {ForwardedConditions.Forwards(forwarded)}");
                }
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
