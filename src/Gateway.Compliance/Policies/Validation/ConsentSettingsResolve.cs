namespace Gateway.Compliance.Policies.Validation;

/// <summary>SMS reply events named under <c>consent</c> are listed track events whose schema declares the keyword field.</summary>
internal sealed class ConsentSettingsResolve : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        var consent = context.Definition.Consent;
        foreach (var name in consent.SmsReplyEvents)
        {
            var eventType = context.Definition.EventTypes.FirstOrDefault(e => e.EventName == name);
            if (eventType is null)
            {
                context.AddError(context.Definition.Location, "consent.smsReplyEvents", $"'{name}' is not a track event of this policy");
                continue;
            }

            var schema = context.SchemaOf(eventType);
            if (schema is not null && Schemas.SchemaNavigator.Resolve(schema.Schema, consent.SmsKeywordField.Split('.')).Count == 0)
            {
                context.AddError(eventType.Location, "consent.smsKeywordField", $"'{consent.SmsKeywordField}' is not declared in schema '{schema.File}'");
            }
        }
    }
}
