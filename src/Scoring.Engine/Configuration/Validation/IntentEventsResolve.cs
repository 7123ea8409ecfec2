namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Every intent rule names an event type the vertical has a schema for, its variants test fields that event can
/// carry, and a service-line multiplier has a <c>service_line</c> attribute to find the service line with.
/// </summary>
internal sealed class IntentEventsResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var config = context.Config;
        foreach (var rule in config.Intent.Events.Values)
        {
            if (!context.Events.Contains(rule.Event))
            {
                context.AddError(rule.Location, rule.Path, $"no schema in schemas/ has the title '{rule.Event}' (known: {string.Join(", ", context.Events.Events.Order(StringComparer.OrdinalIgnoreCase))})");
                continue;
            }

            for (var i = 0; i < rule.Variants.Count; i++)
            {
                if (rule.Variants[i].When.Count == 0)
                {
                    context.AddError(rule.Variants[i].Location, $"{rule.Path}.variants[{i}].when", "lists no conditions");
                }

                foreach (var condition in rule.Variants[i].When)
                {
                    var path = $"{rule.Path}.variants[{i}].when.{condition.Field}";
                    if (context.Events.Field(rule.Event, condition.Field) is not { } forwarded)
                    {
                        context.AddError(condition.Location, path, $"'{rule.Event}' events do not forward '{condition.Field}'");
                    }
                    else
                    {
                        context.CheckForwarded(condition, forwarded, path, $"in '{rule.Event}' events it");
                    }
                }
            }
        }

        if (config.Intent.ServiceLineMultiplier != 1 && config.Attribute(WellKnownAttributes.ServiceLine) is null)
        {
            context.AddError(config.Intent.Location, "intent.serviceLineMultiplier", "needs an attribute named 'service_line' saying where events carry it");
        }
    }
}
