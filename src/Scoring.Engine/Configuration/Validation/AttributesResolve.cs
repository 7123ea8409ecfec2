namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// Every attribute source is a field some event type of the vertical can carry (<c>properties.*</c> or
/// <c>traits.*</c> in a schema, a derived feature, or a UTM field). An attribute is read from nothing else.
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
                if (!context.Events.HasFieldInAnyEvent(source))
                {
                    context.AddError(attribute.Location, $"attributes.{ConfigPaths.Key(attribute.Name)}[{i}]",
                        $"no event type of this vertical carries '{source}' (use properties.* or traits.* from schemas/, derived.* or context.campaign.*)");
                }
            }
        }
    }
}
