using Gateway.Compliance.Consent;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// Purpose names are well-formed, and no cookie-banner category maps to <c>hipaa_authorization</c>: a
/// banner is not a HIPAA marketing authorization, which only a signed form recorded through the admin API grants.
/// </summary>
internal sealed class ConsentPurposesAreValid : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        var definition = context.Definition;
        foreach (var destination in definition.Destinations)
        {
            foreach (var purpose in destination.Purposes.Where(p => !ConsentPurposes.IsValidName(p)))
            {
                context.AddError(destination.Location, $"destinations.{destination.Name}.purposes", $"'{purpose}' is not a valid purpose name");
            }
        }

        foreach (var (category, purpose) in definition.Consent.CategoryPreferences)
        {
            if (purpose == ConsentPurposes.HipaaAuthorization)
            {
                context.AddError(definition.Location, $"consent.categoryPreferences.{category}",
                    "a consent banner category cannot grant 'hipaa_authorization': record signed authorizations through the admin API");
            }
        }
    }
}
