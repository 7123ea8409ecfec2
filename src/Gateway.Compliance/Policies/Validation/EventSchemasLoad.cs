namespace Gateway.Compliance.Policies.Validation;

/// <summary>Every event type's schema file exists inside the folder and loads as a JSON Schema.</summary>
internal sealed class EventSchemasLoad : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        if (context.Definition.EventTypes.Count == 0)
        {
            context.AddError(context.Definition.Location, string.Empty, "the policy lists no event types, so it would forward nothing");
        }

        foreach (var eventType in context.Definition.EventTypes)
        {
            context.SchemaOf(eventType);
        }
    }
}
