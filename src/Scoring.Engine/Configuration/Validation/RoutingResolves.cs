namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Queue names are codes; every rule sends to a declared queue and tests declared attributes; the last rule has
/// no conditions (every MQL is routed) and no rule follows a rule without conditions (it could never match).
/// </summary>
internal sealed class RoutingResolves : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var routing = context.Config.Routing;
        foreach (var queue in routing.Queues.Values.Where(q => !ScoringValidationContext.IsCode(q.Name)))
        {
            context.AddError(queue.Location, $"routing.queues.{ConfigPaths.Key(queue.Name)}", "queue names use lower-case letters, digits, '_' and '-'");
        }

        if (routing.Queues.Count == 0)
        {
            context.AddError(routing.Location, "routing.queues", "declares no queue");
        }

        for (var i = 0; i < routing.Rules.Count; i++)
        {
            var rule = routing.Rules[i];
            if (!routing.Queues.ContainsKey(rule.Queue))
            {
                context.AddError(rule.Location, rule.Path + ".queue", $"'{rule.Queue}' is not declared under routing.queues");
            }

            foreach (var condition in rule.When.Where(c => context.Config.Attribute(c.Field) is null))
            {
                context.AddError(condition.Location, $"{rule.Path}.when.{ConfigPaths.Key(condition.Field)}", $"'{condition.Field}' is not declared under attributes");
            }

            if (rule.When.Count == 0 && i < routing.Rules.Count - 1)
            {
                context.AddError(routing.Rules[i + 1].Location, routing.Rules[i + 1].Path, "can never match: an earlier rule has no conditions");
            }
        }

        if (routing.Rules.Count == 0 || routing.Rules[^1].When.Count > 0)
        {
            context.AddError(routing.Location, "routing.rules", "the last rule must have no conditions, so that every MQL is routed");
        }
    }
}
