using Gateway.Compliance.Paths;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// No rule sits above another on the same branch (e.g. <c>context.device: drop</c> with
/// <c>context.device.type: keep</c>): the outer rule would silently win, and the inner one mislead a reviewer.
/// </summary>
internal sealed class RulesDoNotOverlap : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        var reported = new HashSet<(string, string)>();
        foreach (var eventType in context.Definition.EventTypes)
        {
            var rules = context.EffectiveRules(eventType)
                .Select(r => (Rule: r, Path: FieldPath.TryParse(r.PathText, out var p, out _) ? p : null))
                .Where(x => x.Path is not null)
                .ToList();
            foreach (var outer in rules)
            {
                foreach (var inner in rules)
                {
                    if (inner.Path!.Segments.Count > outer.Path!.Segments.Count
                        && outer.Path.Segments.SequenceEqual(inner.Path.Segments.Take(outer.Path.Segments.Count))
                        && reported.Add((outer.Rule.PolicyPath, inner.Rule.PolicyPath)))
                    {
                        context.AddError(inner.Rule.Location, inner.Rule.PolicyPath,
                            $"'{inner.Path.Text}' lies under '{outer.Path.Text}', which has its own rule ({outer.Rule.PolicyPath}); keep one of them");
                    }
                }
            }
        }
    }
}
