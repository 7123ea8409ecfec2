namespace Gateway.Compliance.Policies.Validation;

/// <summary>Event types name only declared destinations, in both <c>destinations</c> and <c>purposes</c>.</summary>
internal sealed class DestinationsAreDeclared : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        var declared = context.Definition.Destinations.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var eventType in context.Definition.EventTypes)
        {
            foreach (var name in eventType.Destinations ?? [])
            {
                if (!declared.Contains(name))
                {
                    context.AddError(eventType.Location, eventType.PolicyPath + ".destinations", $"unknown destination '{name}'");
                }
            }

            foreach (var name in eventType.Purposes?.Keys ?? [])
            {
                if (!declared.Contains(name))
                {
                    context.AddError(eventType.Location, eventType.PolicyPath + ".purposes", $"unknown destination '{name}'");
                }
            }
        }
    }
}
