namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Every attribute source is a field some event type of the vertical forwards (<c>properties.*</c> or
/// <c>traits.*</c> its policy keeps or generalizes, a derived feature, or a UTM field). An attribute is read from nothing else.
/// </summary>
internal sealed class AttributesResolve : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        foreach (var attribute in context.Config.Attributes)
        {
            if (!ScoringValidationContext.IsCode(attribute.Name))
            {
                context.AddError(attribute.Location, $"attributes.{ConfigPaths.Key(attribute.Name)}", "attribute names use lower-case letters, digits, '_' and '-'");
            }

            for (var i = 0; i < attribute.Sources.Count; i++)
            {
                var source = attribute.Sources[i];
                if (context.Events.FieldInAnyEvent(source) is null)
                {
                    context.AddError(attribute.Location, $"attributes.{ConfigPaths.Key(attribute.Name)}[{i}]",
                        $"no event type of this vertical forwards '{source}' (use properties.* or traits.* its policy keeps, derived.* features it derives, or context.campaign.*)");
                }
            }
        }
    }
}
