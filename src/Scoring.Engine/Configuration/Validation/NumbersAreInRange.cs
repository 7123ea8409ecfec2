using System.Globalization;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Threshold positive; decay 20–30% per quarter (the range the product promises); the service-line multiplier
/// between 1 and 3; intent points not negative (a decaying negative signal would raise a score over time, and
/// scores must only fall between events); <c>maxCount</c> at least 1.
/// </summary>
internal sealed class NumbersAreInRange : IScoringRule
{
    public const double MinDecay = 0.20;
    public const double MaxDecay = 0.30;

    public void Validate(ScoringValidationContext context)
    {
        var config = context.Config;
        if (config.Threshold is <= 0 or > 1000)
        {
            context.AddError(config.LocationOf("threshold"), "threshold", "must be more than 0 and at most 1000 (typically 50 to 100)");
        }

        if (config.DecayPerQuarter is < MinDecay or > MaxDecay)
        {
            context.AddError(config.LocationOf("decay.perQuarter"), "decay.perQuarter",
                $"must be between {MinDecay.ToString(CultureInfo.InvariantCulture)} and {MaxDecay.ToString(CultureInfo.InvariantCulture)} (20-30% per quarter of inactivity)");
        }

        if (config.Intent.ServiceLineMultiplier is < 1 or > 3)
        {
            context.AddError(config.Intent.Location, "intent.serviceLineMultiplier", "must be between 1 and 3");
        }

        foreach (var rule in config.Intent.Events.Values)
        {
            if (rule.Points < 0)
            {
                context.AddError(rule.Location, rule.Path + ".points", "must not be negative: intent only adds points");
            }

            if (rule.MaxCount is < 1)
            {
                context.AddError(rule.Location, rule.Path + ".maxCount", "must be at least 1");
            }

            for (var i = 0; i < rule.Variants.Count; i++)
            {
                if (rule.Variants[i].Points < 0)
                {
                    context.AddError(rule.Variants[i].Location, $"{rule.Path}.variants[{i}].points", "must not be negative: intent only adds points");
                }
            }
        }

        if (config.Intent.Events.Count > 0 && config.Intent.Events.Values.All(r => r.Points <= 0 && r.Variants.All(v => v.Points <= 0)))
        {
            context.AddError(config.Intent.Location, "intent.events", "no event gives points, so no lead could ever qualify by score");
        }
    }
}
