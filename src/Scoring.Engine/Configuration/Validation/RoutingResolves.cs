namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Queue names are codes; every rule sends to a declared queue and tests declared attributes
/// for values they can take (an urgency the policy's enum lacks would never route); the last rule has
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

        foreach (var rule in routing.Rules.Where(r => !routing.Queues.ContainsKey(r.Queue)))
        {
            context.AddError(rule.Location, rule.Path + ".queue", $"'{rule.Queue}' is not declared under routing.queues");
        }

        context.CheckRuleList([.. routing.Rules.Select(r => (r.When, r.Location, r.Path))], "routing.rules", routing.Location, "every MQL is routed");
    }
}
